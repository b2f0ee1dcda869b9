namespace Cortex.SecretScanning.Tests;

public sealed class PositionTests
{
    private const string Token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";

    private readonly SecretScanner _scanner = new();

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Lines_and_columns_are_one_based_whatever_the_line_break(string newline)
    {
        var text = $"first{newline}{newline}\tx = {Token}{newline}last";

        var finding = Assert.Single(_scanner.Scan(text));

        Assert.Equal(3, finding.Line);
        Assert.Equal(6, finding.Column);
        Assert.Equal(Token, text.Substring(finding.Offset, finding.Length));
    }

    [Fact]
    public void A_secret_on_the_first_line_at_the_first_column_is_line_1_column_1()
    {
        var finding = Assert.Single(_scanner.Scan(Token));

        Assert.Equal((1, 1, 0, Token.Length), (finding.Line, finding.Column, finding.Offset, finding.Length));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void A_multi_line_pem_block_is_located_at_its_begin_line_and_spans_to_its_end_line(string newline)
    {
        var body = string.Join(newline, Enumerable.Range(0, 5).Select(i => $"MIIEow{i}BAAKCAQEAx7Jt2mQ9pLz4Wv8Kc3Rn5Ys1Hb6Fg0Ud2Ie7Oa9Pl4Sk8Tj"));
        var block = $"-----BEGIN RSA PRIVATE KEY-----{newline}{body}{newline}-----END RSA PRIVATE KEY-----";
        var text = $"# deploy key{newline}key: |{newline}  {block}{newline}done";

        var finding = Assert.Single(_scanner.Scan(text));

        Assert.Equal(SecretKinds.PrivateKey, finding.Kind);
        Assert.Equal(3, finding.Line);
        Assert.Equal(3, finding.Column);
        Assert.Equal(block, text.Substring(finding.Offset, finding.Length));
    }

    [Fact]
    public void Findings_come_in_order_of_position()
    {
        var text = $"b={Token}\na=AKIAZ3MXQ7R2VBN4KD8P\n{Token}";

        var findings = _scanner.Scan(text);

        Assert.Equal([1, 2, 3], findings.Select(finding => finding.Line));
        Assert.Equal(findings.OrderBy(finding => finding.Offset), findings);
    }
}
