namespace Cortex.CoreServer.Observations;

internal static class ObservationsExtensions
{
    public static IServiceCollection AddCortexObservations(this IServiceCollection services)
    {
        services.AddSingleton<ObservationStore>();
        services.AddSingleton<ObservationIngest>();
        return services;
    }
}
