using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// Turns a <see cref="SearchFilter"/> into SQL conditions with bound parameters. <c>search_item</c> and the
/// vec0 metadata columns share names, so one builder serves both sides (with a table alias or none).
/// </summary>
internal static class FilterSql
{
    public static string Build(SearchFilter filter, string columnPrefix, SqliteCommand command)
    {
        var sql = new StringBuilder();
        AppendIn(sql, command, columnPrefix + "subcortex", "$fs", filter.Subcortexes);
        AppendIn(sql, command, columnPrefix + "kind", "$fk", filter.Kinds?.Select(k => k.ToText()).ToList());
        AppendIn(sql, command, columnPrefix + "trust", "$ft", filter.TrustLevels?.Select(t => t.ToText()).ToList());
        if (filter.UpdatedFrom is { } from)
        {
            sql.Append(" AND ").Append(columnPrefix).Append("updated >= $fromMs");
            command.Parameters.AddWithValue("$fromMs", from.ToUnixTimeMilliseconds());
        }

        if (filter.UpdatedTo is { } to)
        {
            sql.Append(" AND ").Append(columnPrefix).Append("updated <= $toMs");
            command.Parameters.AddWithValue("$toMs", to.ToUnixTimeMilliseconds());
        }

        return sql.ToString();
    }

    private static void AppendIn(StringBuilder sql, SqliteCommand command, string column, string prefix, IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return;
        }

        sql.Append(" AND ").Append(column).Append(" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            var name = prefix + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ").Append(name);
            command.Parameters.AddWithValue(name, values[i]);
        }

        sql.Append(')');
    }
}
