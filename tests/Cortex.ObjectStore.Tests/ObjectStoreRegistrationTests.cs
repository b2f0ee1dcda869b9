using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Cortex.ObjectStore.Tests;

public sealed class ObjectStoreRegistrationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cortex-fs-registration-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task The_file_system_store_is_the_default()
    {
        using var host = Build(new() { ["Cortex:ObjectStore:Root"] = _root });
        await host.StartAsync();

        var store = host.Services.GetRequiredService<IObjectStore>();

        var fileSystem = Assert.IsType<FileSystemObjectStore>(store);
        Assert.StartsWith(_root, fileSystem.Root, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public void S3_is_chosen_by_kind()
    {
        using var host = Build(new()
        {
            ["Cortex:ObjectStore:Kind"] = "S3",
            ["Cortex:ObjectStore:S3:Endpoint"] = "127.0.0.1:9",
            ["Cortex:ObjectStore:S3:AccessKey"] = "key",
            ["Cortex:ObjectStore:S3:SecretKey"] = "secret",
            ["Cortex:ObjectStore:S3:Bucket"] = "attachments",
            ["Cortex:ObjectStore:S3:SpoolDirectory"] = _root,
        });

        Assert.IsType<S3ObjectStore>(host.Services.GetRequiredService<IObjectStore>());
    }

    [Theory]
    [InlineData("filesystem", null, null, "Cortex:ObjectStore:Root")]
    [InlineData("s3", null, "attachments", "Cortex:ObjectStore:S3:Endpoint")]
    [InlineData("s3", "http://minio:9000", "attachments", "Cortex:ObjectStore:S3:Endpoint")]
    [InlineData("s3", "minio:9000", "Bad_Bucket", "Cortex:ObjectStore:S3:Bucket")]
    [InlineData("azure", null, null, "Cortex:ObjectStore:Kind")]
    public async Task Invalid_settings_stop_the_start_with_a_message_naming_the_setting(
        string kind, string? endpoint, string? bucket, string setting)
    {
        using var host = Build(new()
        {
            ["Cortex:ObjectStore:Kind"] = kind,
            ["Cortex:ObjectStore:S3:Endpoint"] = endpoint,
            ["Cortex:ObjectStore:S3:AccessKey"] = "key",
            ["Cortex:ObjectStore:S3:SecretKey"] = "secret",
            ["Cortex:ObjectStore:S3:Bucket"] = bucket,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCortexObjectStore();
        return builder.Build();
    }
}
