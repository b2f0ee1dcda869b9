using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class AttachmentsTests(CortexApp app) : IClassFixture<CortexApp>
{
    private static readonly byte[] PngHead = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];

    [Fact]
    public async Task Equal_content_is_stored_once_names_are_sanitized_and_the_type_is_sniffed()
    {
        using var client = app.AdminClient();
        var png = PngHead.Concat(Encoding.ASCII.GetBytes("dedup-and-sniff")).ToArray();
        var first = await UploadAsync(client, png, "../../etc/passwd", "text/html");
        var second = await UploadMultipartAsync(client, png, "..\\..\\Windows\\system32\\evil.png");
        Assert.NotEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty("sha256").GetString(), second.GetProperty("sha256").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(png)), first.GetProperty("sha256").GetString());
        Assert.Equal("passwd", first.GetProperty("fileName").GetString());
        Assert.Equal("evil.png", second.GetProperty("fileName").GetString());
        Assert.Equal("image/png", first.GetProperty("contentType").GetString());
        Assert.Equal("image/png", second.GetProperty("contentType").GetString());

        var sha = first.GetProperty("sha256").GetString()!;
        Assert.Equal(1, await app.Database.CountAsync("(SELECT DISTINCT object_key FROM attachments WHERE sha256 = '" + sha + "') k"));
        var stored = Directory.EnumerateFiles(app.ObjectStoreRoot, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) == sha[2..]).ToList();
        Assert.Single(stored);
        Assert.StartsWith(Path.GetFullPath(app.ObjectStoreRoot), Path.GetFullPath(stored[0]), StringComparison.Ordinal);

        using var download = await client.GetAsync($"/api/v1/attachments/{first.GetProperty("id").GetString()}/content");
        await Expect.Status(download, HttpStatusCode.OK);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("passwd", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(["nosniff"], download.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());

        var text = await UploadAsync(client, Encoding.UTF8.GetBytes("plain words, nothing more\n"), "notes.exe", "application/x-msdownload");
        Assert.Equal("text/plain; charset=utf-8", text.GetProperty("contentType").GetString());
        Assert.Equal("notes.exe", text.GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task Metadata_ranges_and_conditional_requests_follow_the_sha256_etag()
    {
        using var client = app.AdminClient();
        var bytes = Encoding.UTF8.GetBytes("0123456789abcdef");
        var created = await UploadAsync(client, bytes, "digits.txt", null);
        var id = created.GetProperty("id").GetString()!;
        var metadata = await client.GetAsync($"/api/v1/attachments/{id}");
        Assert.Equal($"\"{created.GetProperty("sha256").GetString()}\"", metadata.Headers.ETag?.ToString());
        Assert.Equal(created.GetRawText(), (await Expect.Json(metadata, HttpStatusCode.OK)).GetRawText());

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/attachments/{id}/content");
        range.Headers.Range = new RangeHeaderValue(4, 7);
        using var partial = await client.SendAsync(range);
        await Expect.Status(partial, HttpStatusCode.PartialContent);
        Assert.Equal("4567", await partial.Content.ReadAsStringAsync());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/attachments/{id}/content");
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{created.GetProperty("sha256").GetString()}\""));
        using var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        await Expect.Problem(await client.GetAsync("/api/v1/attachments/01J00000000000000000000000"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task An_idempotency_key_replays_the_first_upload_and_refuses_other_content()
    {
        using var client = app.AdminClient();
        var bytes = Encoding.UTF8.GetBytes("idempotent upload");
        var first = await UploadAsync(client, bytes, "a.txt", null, idempotencyKey: "upload-1");
        var before = await app.Database.CountAsync("attachments");
        using var again = await client.SendAsync(UploadRequest(bytes, "a.txt", null, "upload-1"));
        var replay = await Expect.Json(again, HttpStatusCode.Created);
        Assert.Equal(["true"], again.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(first.GetRawText(), replay.GetRawText());
        Assert.Equal(before, await app.Database.CountAsync("attachments"));
        await Expect.Problem(
            await client.SendAsync(UploadRequest(Encoding.UTF8.GetBytes("other"), "a.txt", null, "upload-1")),
            HttpStatusCode.UnprocessableEntity,
            "idempotency-key-reused");
    }

    [Fact]
    public async Task The_acl_follows_the_owner_thread_or_observation_and_unlinked_files_are_the_uploaders()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "att-secret", isPrivate: true);
        await ThreadsTests.CreateSubcortexAsync(admin, "att-open");
        var insider = await app.CreatePrincipalAsync("att-insider", Role.Member);
        var outsider = await app.CreatePrincipalAsync("att-outsider", Role.Member);
        var agent = await app.CreatePrincipalAsync("att-agent", Role.Agent);
        var reader = await app.CreatePrincipalAsync("att-reader", Role.Reader);
        await Expect.Status(await admin.PutAsync($"/api/v1/subcortexes/att-secret/members/{insider.Id}", null), HttpStatusCode.NoContent);
        using var inside = app.Client(insider.Key);
        using var outside = app.Client(outsider.Key);
        using var agentClient = app.Client(agent.Key);
        using var readerClient = app.Client(reader.Key);

        var thread = await ThreadsTests.CreateThreadAsync(inside, "att-secret", "Secret incident");
        var onThread = await UploadAsync(inside, Encoding.UTF8.GetBytes("secret log"), "log.txt", null, query: $"&threadId={thread}");
        Assert.Equal("thread", onThread.GetProperty("ownerKind").GetString());
        Assert.Equal(thread, onThread.GetProperty("ownerId").GetString());
        var threadFile = onThread.GetProperty("id").GetString()!;
        await Expect.Status(await inside.GetAsync($"/api/v1/attachments/{threadFile}/content"), HttpStatusCode.OK);
        await Expect.Status(await admin.GetAsync($"/api/v1/attachments/{threadFile}/content"), HttpStatusCode.OK);
        await Expect.Problem(await outside.GetAsync($"/api/v1/attachments/{threadFile}/content"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await outside.GetAsync($"/api/v1/attachments/{threadFile}"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(
            await outside.SendAsync(UploadRequest(Encoding.UTF8.GetBytes("x"), "x.txt", null, null, $"&threadId={thread}")),
            HttpStatusCode.Forbidden,
            "forbidden");
        await Expect.Problem(
            await readerClient.SendAsync(UploadRequest(Encoding.UTF8.GetBytes("x"), "x.txt", null, null)), HttpStatusCode.Forbidden, "forbidden");

        var pending = await UploadAsync(agentClient, Encoding.UTF8.GetBytes("build log 17"), "build.log", null);
        var pendingId = pending.GetProperty("id").GetString()!;
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("ownerId").ValueKind);
        await Expect.Status(await agentClient.GetAsync($"/api/v1/attachments/{pendingId}/content"), HttpStatusCode.OK);
        await Expect.Problem(await readerClient.GetAsync($"/api/v1/attachments/{pendingId}/content"), HttpStatusCode.Forbidden, "forbidden");
        var outsiderLink = await ObservationsTests.PostBatchAsync(
            outside, [new { clientId = "steal", subcortex = "att-open", kind = "k", text = "t", attachmentIds = new[] { pendingId } }]);
        Assert.Equal("attachmentIds[0]", outsiderLink.GetProperty("results")[0].GetProperty("errors")[0].GetProperty("field").GetString());

        var observation = await Expect.Json(
            await agentClient.PostAsJsonAsync(
                "/api/v1/observations",
                new { clientId = "with-file", subcortex = "att-open", kind = "build.failed", text = "Build 17 failed", attachmentIds = new[] { pendingId } }),
            HttpStatusCode.Created);
        Assert.Equal([pendingId], observation.GetProperty("attachmentIds").EnumerateArray().Select(a => a.GetString()));
        var linked = await Expect.Json(await readerClient.GetAsync($"/api/v1/attachments/{pendingId}"), HttpStatusCode.OK);
        Assert.Equal("observation", linked.GetProperty("ownerKind").GetString());
        Assert.Equal(observation.GetProperty("id").GetString(), linked.GetProperty("ownerId").GetString());
        Assert.Equal("build log 17", await (await readerClient.GetAsync($"/api/v1/attachments/{pendingId}/content")).Content.ReadAsStringAsync());
    }

    internal static HttpRequestMessage UploadRequest(byte[] bytes, string fileName, string? contentType, string? idempotencyKey, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/attachments?fileName={Uri.EscapeDataString(fileName)}{query}")
        {
            Content = new ByteArrayContent(bytes),
        };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    internal static async Task<JsonElement> UploadAsync(
        HttpClient client, byte[] bytes, string fileName, string? contentType, string? idempotencyKey = null, string query = "")
    {
        using var request = UploadRequest(bytes, fileName, contentType, idempotencyKey, query);
        return await Expect.Json(await client.SendAsync(request), HttpStatusCode.Created);
    }

    private static async Task<JsonElement> UploadMultipartAsync(HttpClient client, byte[] bytes, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/html");
        form.Add(new StringContent("ignored"), "comment");
        form.Add(file, "file", fileName);
        return await Expect.Json(await client.PostAsync("/api/v1/attachments", form), HttpStatusCode.Created);
    }
}

/// <summary>An app whose attachments are limited to 1 MiB.</summary>
public sealed class SmallAttachmentsApp : CortexApp
{
    public const long Limit = 1 << 20;

    protected override void Configure(IDictionary<string, string?> settings) =>
        settings["Cortex:Attachments:MaxBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class AttachmentsLimitTests(SmallAttachmentsApp app) : IClassFixture<SmallAttachmentsApp>
{
    [Fact]
    public async Task Oversize_uploads_are_refused_with_413_by_length_or_while_streaming_and_nothing_is_kept()
    {
        using var client = app.AdminClient();
        var declared = new byte[3 * SmallAttachmentsApp.Limit];
        using var byLength = AttachmentsTests.UploadRequest(declared, "big.bin", null, null);
        await Expect.Problem(await client.SendAsync(byLength), HttpStatusCode.RequestEntityTooLarge, "payload-too-large");

        var streamed = new byte[SmallAttachmentsApp.Limit + (SmallAttachmentsApp.Limit / 2)];
        new Random(3).NextBytes(streamed);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/v1/attachments?fileName=big.bin")
        {
            Content = new StreamContent(new UnknownLengthStream(streamed)),
        };
        var problem = await Expect.Problem(await client.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Contains("nothing was stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var multipart = new MultipartFormDataContent { { new ByteArrayContent(streamed), "file", "big.bin" } };
        await Expect.Problem(await client.PostAsync("/api/v1/attachments", multipart), HttpStatusCode.RequestEntityTooLarge, "payload-too-large");

        Assert.Equal(0, await app.Database.CountAsync("attachments"));
        Assert.Empty(Directory.Exists(app.ObjectStoreRoot)
            ? Directory.EnumerateFiles(app.ObjectStoreRoot, "*", SearchOption.AllDirectories)
            : []);

        var fits = await Expect.Json(
            await client.SendAsync(AttachmentsTests.UploadRequest(new byte[SmallAttachmentsApp.Limit], "fits.bin", null, null)), HttpStatusCode.Created);
        Assert.Equal(SmallAttachmentsApp.Limit, fits.GetProperty("size").GetInt64());
    }

    /// <summary>A body whose length is not declared, so the limit can only be enforced while it streams.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
