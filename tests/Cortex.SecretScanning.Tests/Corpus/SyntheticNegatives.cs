namespace Cortex.SecretScanning.Tests.Corpus;

/// <summary>
/// Seeded clean lines that look like secrets to a naive scanner: identifiers, digests, lockfile hashes, encoded
/// images, minified code, paths, URLs without credentials, and references to secrets that hold no value.
/// </summary>
public sealed class SyntheticNegatives(int seed)
{
    private readonly RandomText _r = new(seed);

    public IEnumerable<CorpusSample> Generate(int perCategory)
    {
        foreach (var (category, line) in Categories())
        {
            for (var i = 0; i < perCategory; i++)
            {
                yield return new CorpusSample($"synthetic-negative:{category}#{i}", line(), Kind: null);
            }
        }
    }

    private List<(string Category, Func<string> Line)> Categories() =>
    [
        ("uuid", () => _r.Next(0, 4) switch
        {
            0 => $"  \"id\": \"{_r.Uuid()}\",",
            1 => $"request_id={_r.Uuid()} status=200 duration_ms={_r.Next(1, 900)}",
            2 => $"INFO processed order {_r.Uuid()} for tenant {_r.Uuid()}",
            _ => $"correlationId: {_r.Uuid()}",
        }),
        ("git-sha", () => _r.Next(0, 4) switch
        {
            0 => $"commit {_r.Chars(RandomText.Hex, 40)}",
            1 => $"{_r.Chars(RandomText.Hex, 7)} Fix {_r.Word()} retry when the {_r.Word()} queue is empty",
            2 => $"  \"sha\": \"{_r.Chars(RandomText.Hex, 40)}\",",
            _ => $"git checkout {_r.Chars(RandomText.Hex, 40)} -- src/{_r.Word()}/index.ts",
        }),
        ("package-lock", () => _r.Chance(0.5)
            ? $"      \"integrity\": \"sha512-{_r.Base64Of(64)}\","
            : $"      \"resolved\": \"https://registry.npmjs.org/{_r.Word()}/-/{_r.Word()}-{_r.Next(0, 9)}.{_r.Next(0, 30)}.{_r.Next(0, 9)}.tgz\","),
        ("yarn-lock", () => _r.Chance(0.5)
            ? $"  integrity sha512-{_r.Base64Of(64)}"
            : $"  resolved \"https://registry.yarnpkg.com/{_r.Word()}/-/{_r.Word()}-1.{_r.Next(0, 20)}.0.tgz#{_r.Chars(RandomText.Hex, 40)}\""),
        ("cargo-lock", () => $"checksum = \"{_r.Chars(RandomText.Hex, 64)}\""),
        ("go-sum", () => $"github.com/{_r.Word()}/{_r.Word()} v1.{_r.Next(0, 20)}.{_r.Next(0, 9)} h1:{_r.Base64Of(32)}"),
        ("image-digest", () => $"    image: ghcr.io/acme/{_r.Word()}@sha256:{_r.Chars(RandomText.Hex, 64)}"),
        ("file-hash", () => _r.Chance(0.5)
            ? $"{_r.Chars(RandomText.Hex, 64)}  {_r.Word()}-linux-amd64.tar.gz"
            : $"SHA256 ({_r.Word()}.zip) = {_r.Chars(RandomText.Hex, 64)}"),
        ("data-uri", () => _r.Chance(0.5)
            ? $"<img alt=\"logo\" src=\"data:image/png;base64,{_r.Base64Of(_r.Next(150, 400))}\">"
            : $"  background-image: url(data:image/svg+xml;base64,{_r.Base64Of(_r.Next(80, 200))});"),
        ("base64-blob", () => $"  \"thumbnail\": \"{_r.Base64Of(_r.Next(60, 120))}\","),
        ("minified-js", MinifiedJs),
        ("path", () => _r.Next(0, 3) switch
        {
            0 => $"/home/dev/projects/{_r.Word()}/src/{_r.Word()}/{_r.Word()}_{_r.Next(1, 99)}.py",
            1 => $"C:\\Users\\dev\\source\\repos\\{_r.Word()}\\bin\\Release\\net10.0\\{_r.Word()}.dll",
            _ => $"  at Cortex.{_r.Word()}.Handler.HandleAsync() in /src/{_r.Word()}/Handler.cs:line {_r.Next(10, 400)}",
        }),
        ("url", () => _r.Next(0, 4) switch
        {
            0 => $"https://{_r.Host()}/{_r.Word()}?page={_r.Next(1, 9)}&sort=desc&token_type=bearer",
            1 => $"https://github.com/acme/{_r.Word()}/blob/{_r.Chars(RandomText.Hex, 40)}/src/index.ts#L{_r.Next(1, 300)}",
            2 => $"git@github.com:acme/{_r.Word()}.git",
            _ => $"postgres://{_r.Host()}:5432/{_r.Word()}?sslmode=require",
        }),
        ("secret-reference", () => _r.Pick<Func<string>>(
        [
            () => "api_key = os.environ[\"API_KEY\"]",
            () => "password: ${DB_PASSWORD}",
            () => $"token = get_{_r.Word()}_token()",
            () => "const secret = process.env.JWT_SECRET;",
            () => "AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}",
            () => "password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())",
            () => $"max_tokens: {_r.Next(256, 8192)}",
            () => $"  secretName: {_r.Word()}-credentials",
            () => "    password = forms.CharField(widget=forms.PasswordInput)",
            () => $"client_secret = settings.{_r.Word().ToUpperInvariant()}_CLIENT_SECRET",
            () => "export GITHUB_TOKEN=$(gh auth token)",
            () => "  password: \"{{ vault_db_password }}\"",
            () => "  \"tokenizer_class\": \"GPT2TokenizerFast\",",
            () => $"if (request.Password != user.{_r.Word()}Password) return Unauthorized();",
        ])()),
        ("doc-example", () => _r.Pick(
        [
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
            "Stripe's docs use sk_test_4eC39HqLyjWDarjtT1zdp7dc in every example.",
            "API_KEY=your-api-key-here",
            "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ])),
        ("prose", () => $"The {_r.Word()} service retries {_r.Next(2, 9)} times before it marks the {_r.Word()} job as failed; see runbook {_r.Word()}-{_r.Next(1, 40)}."),
    ];

    private string MinifiedJs()
    {
        string Id() => _r.Chars(RandomText.Lower + RandomText.Upper, 1) + _r.Chars(RandomText.Alnum, 0, 2);
        return _r.Next(0, 3) switch
        {
            0 => $"!function({Id()},{Id()}){{\"object\"==typeof exports?module.exports={Id()}():{Id()}.{_r.Word()}={Id()}()}}(this,function(){{var {Id()}={{}};return {Id()}}});",
            1 => $"var {Id()}={Id()}.{Id()}({Id()},{Id()}),{Id()}={Id()}[{_r.Next(0, 99)}]||{Id()}.{Id()};if({Id()}.length>{_r.Next(1, 64)})return {Id()}.apply({Id()},arguments)",
            _ => $"function {Id()}({Id()}){{return{Id()}({Id()}.token,{Id()}.key,{Id()}.secret)}}export{{{Id()} as {_r.Word()}}};",
        };
    }
}
