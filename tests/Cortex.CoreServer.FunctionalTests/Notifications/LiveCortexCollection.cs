using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Notifications;

/// <summary>The test classes sharing one <see cref="LiveCortex"/> (a server and a worker are slow to start on 2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class LiveCortexCollection : ICollectionFixture<LiveCortex>
{
    public const string Name = "live cortex";
}
