using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cortex.ObjectStore;

public static class ObjectStoreHostingExtensions
{
    /// <summary>
    /// Registers <see cref="IObjectStore"/> from <c>Cortex:ObjectStore</c>: <c>Kind</c> picks
    /// <see cref="FileSystemObjectStore"/> (<c>filesystem</c>, the default) or <see cref="S3ObjectStore"/> (<c>s3</c>).
    /// The settings are validated when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddCortexObjectStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCortexObjectStore();
        return builder;
    }

    /// <inheritdoc cref="AddCortexObjectStore(IHostApplicationBuilder)"/>
    public static IServiceCollection AddCortexObjectStore(this IServiceCollection services)
    {
        services.AddOptions<ObjectStoreOptions>().BindConfiguration(ObjectStoreOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<ObjectStoreOptions>, ObjectStoreOptionsValidator>());
        services.TryAddSingleton<IObjectStore>(CreateStore);
        return services;
    }

    private static IObjectStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ObjectStoreOptions>>().Value;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger(typeof(IObjectStore).Namespace!);
        if (string.Equals(options.Kind, ObjectStoreOptions.S3Kind, StringComparison.OrdinalIgnoreCase))
        {
            logger.StoreSelected(ObjectStoreOptions.S3Kind, $"{options.S3.Endpoint}/{options.S3.Bucket}");
            return new S3ObjectStore(options.S3, options.MaxObjectBytes, loggers.CreateLogger<S3ObjectStore>());
        }

        logger.StoreSelected(ObjectStoreOptions.FileSystemKind, options.Root!);
        return new FileSystemObjectStore(options.Root!, options.MaxObjectBytes);
    }
}
