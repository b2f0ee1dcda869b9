namespace Cortex.LocalSearch.Tests;

public sealed class QueryAnalyzerTests
{
    [Theory]
    [InlineData("How do I restart the server?", "restart|server")]
    [InlineData("CORTEX-E1042", "\"cortex e1042\"")]
    [InlineData("--skip-epoch-check", "\"skip epoch check\"")]
    [InlineData("Sync__MaxBatchSize of 500", "sync__maxbatchsize|500")]
    [InlineData("\"database is locked\" again", "\"database is locked\"")]
    [InlineData("don't use v1.2.3", "\"v1 2 3\"")]
    [InlineData("the a of", "")]
    public void Queries_become_units_of_words_and_exact_phrases(string query, string expected)
    {
        var units = QueryAnalyzer.Analyze(query);

        Assert.Equal(expected, string.Join('|', units.Select(u => u.Tokens.Count > 1 ? u.MatchText : u.Tokens[0])));
    }

    [Theory]
    [InlineData("SQLITE_BUSY", true)]
    [InlineData("clientID", true)]
    [InlineData("WAL", true)]
    [InlineData("E1042", true)]
    [InlineData("package-lock.json", true)]
    [InlineData("restart", false)]
    [InlineData("Restart", false)]
    public void Identifier_like_terms_are_recognised(string term, bool expected)
    {
        var unit = Assert.Single(QueryAnalyzer.Analyze(term));

        Assert.Equal(expected, unit.IsIdentifier);
    }

    [Fact]
    public void The_match_expression_quotes_every_unit_so_fts5_operators_are_plain_words()
    {
        var expression = QueryAnalyzer.ToMatchExpression(QueryAnalyzer.Analyze("NOT NEAR OR AND sqlite"));

        Assert.Equal("\"not\" OR \"near\" OR \"or\" OR \"and\" OR \"sqlite\"", expression);
    }
}
