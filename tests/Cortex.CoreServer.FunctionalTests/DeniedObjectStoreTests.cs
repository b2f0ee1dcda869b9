using System.Net;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Cortex.Testing;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>
/// cortex-server on a real S3 server (s3rver) with an access key the store does not know, as after a botched key
/// rotation: every object store call is refused with 403.
/// </summary>
public sealed class DeniedObjectStoreApp : CortexApp
{
    private readonly S3rverFixture _s3rver = new();

    public override async Task InitializeAsync()
    {
        await _s3rver.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _s3rver.DisposeAsync();
    }

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Cortex:ObjectStore:Kind"] = "s3";
        settings["Cortex:ObjectStore:S3:Endpoint"] = _s3rver.Endpoint;
        settings["Cortex:ObjectStore:S3:AccessKey"] = "ROTATEDAWAY";
        settings["Cortex:ObjectStore:S3:SecretKey"] = S3rverFixture.Credential;
        settings["Cortex:ObjectStore:S3:Bucket"] = "cortex-denied";
        settings["Cortex:ObjectStore:S3:UseTls"] = "false";
        settings["Cortex:ObjectStore:S3:SpoolDirectory"] = ObjectStoreRoot;
    }
}

/// <summary>
/// The object store permission alert's metric moves when the store really refuses the server, and readiness fails.
/// In the metrics collection: another in-memory server in this process would add to the same counters.
/// </summary>
[Collection(nameof(MetricsTests))]
public sealed class DeniedObjectStoreTests(DeniedObjectStoreApp app) : IClassFixture<DeniedObjectStoreApp>
{
    [Fact]
    public async Task Readyz_fails_while_the_object_store_refuses_the_servers_key()
    {
        using var anonymous = app.Client();
        await Expect.Problem(await anonymous.GetAsync("/readyz"), HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.Equal("alive", (await Expect.Json(await anonymous.GetAsync("/healthz"), HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_upload_the_object_store_refuses_counts_as_permission_denied()
    {
        using var admin = app.AdminClient();
        using var member = app.Client((await app.CreatePrincipalAsync("denied-uploader", Role.Member)).Key);
        var before = await Scrape.FromAsync(admin);

        using var upload = AttachmentsTests.UploadRequest("build log"u8.ToArray(), "build.log", "text/plain", idempotencyKey: null);
        var refused = await member.SendAsync(upload);
        var after = await Scrape.FromAsync(admin);

        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal(1, after.Delta(before, "cortex_objectstore_errors_total", ("operation", "put"), ("kind", "permission_denied")));
        Assert.Equal(0, after.Delta(before, "cortex_objectstore_errors_total", ("kind", "io")));
        Assert.Equal(1, after.Delta(before, "cortex_http_errors_total", ("route", "/api/v1/attachments"), ("class", "5xx")));
    }
}
