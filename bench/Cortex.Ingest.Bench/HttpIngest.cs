using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Cortex.Ingest.Bench;

/// <summary>Posts the rows to <c>/api/v1/observations/batch</c> from several concurrent clients and times the whole run.</summary>
internal static class HttpIngest
{
    public static async Task<(TimeSpan Elapsed, int Created)> RunAsync(
        HttpClient http, IngestOptions options, string slug, List<SyntheticObservation> rows)
    {
        // Bodies are serialized before the clock starts: the benchmark measures the server, not the client's JSON.
        var bodies = rows.Chunk(options.BatchSize).Select(chunk => Body(slug, chunk)).ToList();
        var next = -1;
        var created = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < bodies.Count)
            {
                using var content = new ByteArrayContent(bodies[index]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(new Uri("/api/v1/observations/batch", UriKind.Relative), content).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException(
                        $"batch {index} failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
                }

                Interlocked.Add(ref created, CreatedCount(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false)));
            }
        })).ConfigureAwait(false);
        return (clock.Elapsed, created);
    }

    /// <summary>
    /// The answer's top-level <c>created</c>, read without materializing its 5,000 results: the client shares the
    /// machine with the server, and parsing every answer in full cost it a tenth of the CPU the server spent.
    /// </summary>
    private static int CreatedCount(byte[] answer)
    {
        var reader = new Utf8JsonReader(answer);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                return reader.GetInt32();
            }

            if (reader.CurrentDepth >= 1 && reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                reader.Skip();
            }
        }

        throw new InvalidOperationException("The batch answer has no 'created' count.");
    }

    private static byte[] Body(string slug, SyntheticObservation[] chunk)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("items");
            foreach (var row in chunk)
            {
                json.WriteStartObject();
                json.WriteString("clientId", row.ClientId);
                json.WriteString("subcortex", slug);
                json.WriteString("kind", row.Kind);
                json.WriteString("source", row.Source);
                json.WriteString("text", row.Text);
                json.WritePropertyName("attributes");
                json.WriteRawValue(row.AttributesJson);
                json.WriteString("occurredAt", row.OccurredAt);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
