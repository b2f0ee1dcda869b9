using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Cortex.Ingest.Bench;

/// <summary>
/// The ceiling: the same kind of rows written straight into the same <c>observations</c> table (same indexes) with one
/// binary COPY in one transaction, with no HTTP, validation, change feed, jobs or replay detection.
/// </summary>
internal static class CopyCeiling
{
    public static async Task<TimeSpan> RunAsync(NpgsqlDataSource dataSource, string slug, List<SyntheticObservation> rows)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        string subcortexId, authorId;
        await using (var find = new NpgsqlCommand("SELECT id, created_by FROM subcortexes WHERE slug = @slug", connection))
        {
            find.Parameters.AddWithValue("slug", slug);
            await using var reader = await find.ExecuteReaderAsync().ConfigureAwait(false);
            if (!await reader.ReadAsync().ConfigureAwait(false))
            {
                throw new InvalidOperationException($"The subcortex '{slug}' is missing.");
            }

            (subcortexId, authorId) = (reader.GetString(0), reader.GetString(1));
        }

        var clock = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using (var writer = await connection.BeginBinaryImportAsync(
            """
            COPY observations (id, subcortex_id, author_id, client_id, content_hash, kind, source, body, attributes, occurred_at, attachment_ids)
            FROM STDIN (FORMAT BINARY)
            """).ConfigureAwait(false))
        {
            var index = 0;
            foreach (var row in rows)
            {
                await writer.StartRowAsync().ConfigureAwait(false);
                await writer.WriteAsync("C" + index++.ToString("D25", CultureInfo.InvariantCulture), NpgsqlDbType.Text).ConfigureAwait(false);
                await writer.WriteAsync(subcortexId, NpgsqlDbType.Text).ConfigureAwait(false);
                await writer.WriteAsync(authorId, NpgsqlDbType.Text).ConfigureAwait(false);
                await writer.WriteAsync(row.ClientId, NpgsqlDbType.Text).ConfigureAwait(false);
                await writer.WriteAsync(SHA256.HashData(Encoding.UTF8.GetBytes(row.Text)), NpgsqlDbType.Bytea).ConfigureAwait(false);
                await writer.WriteAsync(row.Kind, NpgsqlDbType.Text).ConfigureAwait(false);
                await writer.WriteAsync(row.Source, NpgsqlDbType.Text).ConfigureAwait(false);
                await writer.WriteAsync(row.Text, NpgsqlDbType.Text).ConfigureAwait(false);
                await writer.WriteAsync(row.AttributesJson, NpgsqlDbType.Jsonb).ConfigureAwait(false);
                await writer.WriteAsync(row.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz).ConfigureAwait(false);
                await writer.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text).ConfigureAwait(false);
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return clock.Elapsed;
    }
}
