using Cortex.SharedModel.Search;
using Xunit;

namespace Cortex.SharedModel.Tests.Search;

public sealed class IdentifierWordsTests
{
    [Theory]
    [InlineData("E1234", true)]
    [InlineData("max_connections", true)]
    [InlineData("getUserById", true)]
    [InlineData("OOM", true)]
    [InlineData("ENOSPC", true)]
    [InlineData("disk", false)]
    [InlineData("Disk", false)]
    [InlineData("A", false)]
    [InlineData("", false)]
    public void Names_words_that_identify_something_exactly(string token, bool expected) =>
        Assert.Equal(expected, IdentifierWords.IsIdentifierToken(token));
}
