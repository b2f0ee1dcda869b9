using System.Reflection;
using MessagePack;

namespace Cortex.SyncProtocol.Tests;

public sealed class HubContractTests
{
    public static TheoryData<string> HubMethods =>
        [.. typeof(ISyncHub).GetMethods().Concat(typeof(ISyncClient).GetMethods()).Select(m => $"{m.DeclaringType!.Name}.{m.Name}")];

    /// <summary>Every hub argument and result (or stream item) is a pinned wire contract (or a plain string), so nothing
    /// crosses the hub that the golden files do not cover.</summary>
    [Theory]
    [MemberData(nameof(HubMethods))]
    public void Hub_methods_carry_only_wire_contracts(string name)
    {
        var method = typeof(ISyncHub).GetMethods().Concat(typeof(ISyncClient).GetMethods()).Single(m => $"{m.DeclaringType!.Name}.{m.Name}" == name);
        // A streaming method's CancellationToken is bound by SignalR, never sent.
        var types = method.GetParameters().Select(p => p.ParameterType).Where(t => t != typeof(CancellationToken)).ToList();
        Assert.True(
            method.ReturnType == typeof(Task) || method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
                || method.ReturnType.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>),
            $"{name} must be awaitable or a stream");
        if (method.ReturnType.IsGenericType)
        {
            types.Add(method.ReturnType.GetGenericArguments()[0]);
        }

        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.True(t == typeof(string) || t.GetCustomAttribute<MessagePackObjectAttribute>() is not null, $"{name} uses {t.Name}"));
        Assert.All(types.Where(t => t != typeof(string)), t => Assert.Contains(t.Name, Samples.All.Keys));
    }
}
