using System.Net;
using System.Text;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.CoreServer.Idempotency;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class IdempotencyTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task A_repeated_post_returns_the_first_answer_without_a_second_write()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "idem-repeat");
        var first = await PostThreadAsync(admin, "idem-repeat", "key-repeat-1", """{"title":"Once","body":"Only once."}""");
        var firstBody = await first.Content.ReadAsStringAsync();
        await Expect.Status(first, HttpStatusCode.Created);

        var second = await PostThreadAsync(admin, "idem-repeat", "key-repeat-1", """{"title":"Once","body":"Only once."}""");
        await Expect.Status(second, HttpStatusCode.Created);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1L, await app.Database.CountAsync("threads", "title = 'Once'"));
        var id = System.Text.Json.JsonDocument.Parse(firstBody).RootElement.GetProperty("id").GetString();
        Assert.Equal(1L, await app.Database.CountAsync("changes", $"entity_id = '{id}'"));
        Assert.Equal(1L, await app.Database.CountAsync("audit_events", $"target_id = '{id}'"));
    }

    [Fact]
    public async Task Bodies_larger_than_the_memory_buffer_are_fingerprinted_and_replayed_too()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "idem-large");
        var json = $$"""{"title":"Large","body":"{{new string('l', 90_000)}}"}""";
        var first = await PostThreadAsync(admin, "idem-large", "key-large-1", json);
        var firstBody = await first.Content.ReadAsStringAsync();
        await Expect.Status(first, HttpStatusCode.Created);
        var second = await PostThreadAsync(admin, "idem-large", "key-large-1", json);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        await Expect.Problem(
            await PostThreadAsync(admin, "idem-large", "key-large-1", json.Replace("Large", "Other", StringComparison.Ordinal)),
            HttpStatusCode.UnprocessableEntity,
            "idempotency-key-reused");
        Assert.Equal(1L, await app.Database.CountAsync("threads", "title = 'Large'"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_problem_and_writes_nothing()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "idem-other");
        await Expect.Status(
            await PostThreadAsync(admin, "idem-other", "key-other-1", """{"title":"First","body":"b"}"""), HttpStatusCode.Created);
        await Expect.Problem(
            await PostThreadAsync(admin, "idem-other", "key-other-1", """{"title":"Second","body":"b"}"""),
            HttpStatusCode.UnprocessableEntity,
            "idempotency-key-reused");
        Assert.Equal(0L, await app.Database.CountAsync("threads", "title = 'Second'"));
    }

    [Fact]
    public async Task A_failed_first_attempt_does_not_burn_the_key()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "idem-retry");
        await Expect.Problem(
            await PostThreadAsync(admin, "idem-missing", "key-retry-1", """{"title":"Lost","body":"b"}"""),
            HttpStatusCode.NotFound,
            "not-found");
        await Expect.Status(
            await PostThreadAsync(admin, "idem-retry", "key-retry-1", """{"title":"Found","body":"b"}"""), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Keys_are_scoped_per_principal()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "idem-scope");
        var member = await app.CreatePrincipalAsync("idem-member", SharedModel.Principals.Role.Member);
        using var memberClient = app.Client(member.Key);
        var a = await Expect.Json(
            await PostThreadAsync(admin, "idem-scope", "shared-key", """{"title":"Scoped","body":"b"}"""), HttpStatusCode.Created);
        var b = await Expect.Json(
            await PostThreadAsync(memberClient, "idem-scope", "shared-key", """{"title":"Scoped","body":"b"}"""), HttpStatusCode.Created);
        Assert.NotEqual(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Concurrent_duplicates_with_one_key_write_once_and_all_get_the_first_answer()
    {
        const int racers = 6;
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "idem-race");

        // Hold every thread insert behind a table lock, so all racers are inside the server at the same time:
        // one waits on the lock with the key claimed, the others wait on that claim.
        await using var blocker = await app.Database.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockThreads = new Npgsql.NpgsqlCommand("LOCK TABLE threads IN EXCLUSIVE MODE", blocker, transaction))
        {
            await lockThreads.ExecuteNonQueryAsync();
        }

        var requests = Enumerable.Range(0, racers)
            .Select(_ => PostThreadAsync(admin, "idem-race", "race-key", """{"title":"Raced","body":"b"}"""))
            .ToList();
        await app.Database.WaitForLockWaitersAsync(racers, TimeSpan.FromSeconds(30));
        await transaction.CommitAsync();

        var responses = await Task.WhenAll(requests);
        var bodies = new List<string>();
        foreach (var response in responses)
        {
            await Expect.Status(response, HttpStatusCode.Created);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Single(bodies.Distinct());
        Assert.Equal(racers - 1, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal(1L, await app.Database.CountAsync("threads", "title = 'Raced'"));
    }

    [Fact]
    public async Task Invalid_keys_are_rejected()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "idem-invalid");
        await Expect.Problem(
            await PostThreadAsync(admin, "idem-invalid", new string('k', 201), """{"title":"t","body":"b"}"""),
            HttpStatusCode.BadRequest,
            "validation");
    }

    [Fact]
    public async Task Fingerprints_cover_method_path_query_and_body()
    {
        var body = "{\"a\":1}"u8.ToArray();
        var fingerprint = RequestFingerprint.Compute("POST", "/api/v1/x", "", body);
        Assert.Equal(fingerprint, RequestFingerprint.Compute("POST", "/api/v1/x", "", body));
        Assert.NotEqual(fingerprint, RequestFingerprint.Compute("POST", "/api/v1/y", "", body));
        Assert.NotEqual(fingerprint, RequestFingerprint.Compute("POST", "/api/v1/x", "?q=1", body));
        Assert.NotEqual(fingerprint, RequestFingerprint.Compute("PUT", "/api/v1/x", "", body));
        Assert.NotEqual(fingerprint, RequestFingerprint.Compute("POST", "/api/v1/x", "", "{\"a\":2}"u8.ToArray()));
        Assert.Equal(fingerprint, await RequestFingerprint.ComputeAsync("POST", "/api/v1/x", "", new MemoryStream(body)));
        var large = new byte[300_000];
        new Random(7).NextBytes(large);
        Assert.Equal(
            RequestFingerprint.Compute("POST", "/p", "", large),
            await RequestFingerprint.ComputeAsync("POST", "/p", "", new MemoryStream(large)));
        Assert.True(RequestFingerprint.IsValidKey("01J5ZK3Q0Y8WQ4V2N6M7B8C9D0"));
        Assert.False(RequestFingerprint.IsValidKey(""));
        Assert.False(RequestFingerprint.IsValidKey("has space"));
        Assert.False(RequestFingerprint.IsValidKey("caf\u00e9"));
    }

    private static Task<HttpResponseMessage> PostThreadAsync(HttpClient client, string slug, string key, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/subcortexes/{slug}/threads")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(IdempotencyMiddleware.HeaderName, key);
        return client.SendAsync(request);
    }
}
