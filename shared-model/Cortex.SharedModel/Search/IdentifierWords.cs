namespace Cortex.SharedModel.Search;

/// <summary>
/// The one rule, shared by the server's and the replica's search, for a query word that names something exactly (a
/// code, flag, error number or symbol): it holds a digit or '_', an inner capital ("camelCase"), or is ALLCAPS. Such
/// words make keywords dominate the fusion, because vectors blur exact identifiers.
/// </summary>
public static class IdentifierWords
{
    public static bool IsIdentifierToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hasLower = false;
        var hasUpper = false;
        var innerUpper = false;
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            if (char.IsDigit(c) || c == '_')
            {
                return true;
            }

            hasLower |= char.IsLower(c);
            hasUpper |= char.IsUpper(c);
            innerUpper |= i > 0 && char.IsUpper(c) && char.IsLower(token[i - 1]);
        }

        return innerUpper || (hasUpper && !hasLower && token.Length >= 2);
    }
}
