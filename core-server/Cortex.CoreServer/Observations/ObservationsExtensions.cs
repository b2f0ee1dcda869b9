namespace Cortex.CoreServer.Observations;

internal static class ObservationsExtensions
{
    public static IServiceCollection AddCortexObservations(this IServiceCollection services)
    {
        services.AddOptions<ObservationsOptions>().BindConfiguration(ObservationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ObservationStore>();
        services.AddSingleton<ObservationIngest>();
        services.AddSingleton<ObservationSearchIndexer>();
        services.AddHostedService(provider => provider.GetRequiredService<ObservationSearchIndexer>());
        return services;
    }
}
