using System.Net;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>A server that allows each principal 5 requests and refills one token per hour, so nothing refills mid-test.</summary>
public sealed class RateLimitedApp : CortexApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Cortex:RateLimits:TokenLimit"] = "5";
        settings["Cortex:RateLimits:TokensPerPeriod"] = "1";
        settings["Cortex:RateLimits:PeriodSeconds"] = "3600";
    }
}

public sealed class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task Each_principal_gets_its_own_budget_and_then_429_with_retry_after()
    {
        var first = await app.CreatePrincipalAsync("rate-first", Role.Member);
        var second = await app.CreatePrincipalAsync("rate-second", Role.Member);
        using var firstClient = app.Client(first.Key);
        using var secondClient = app.Client(second.Key);

        for (var i = 0; i < 5; i++)
        {
            await Expect.Status(await firstClient.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);
        }

        var limited = await firstClient.GetAsync("/api/v1/principals/me");
        await Expect.Problem(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        await Expect.Status(await secondClient.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);
        using var anonymous = app.Client();
        await Expect.Status(await anonymous.GetAsync("/healthz"), HttpStatusCode.OK);
    }
}
