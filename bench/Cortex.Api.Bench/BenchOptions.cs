namespace Cortex.Api.Bench;

internal sealed record BenchOptions(Uri Url, string Key, int Clients, int Seconds)
{
    public static BenchOptions? Parse(string[] args)
    {
        string? url = null, key = null;
        int clients = 32, seconds = 20;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--url": url = args[i + 1]; break;
                case "--key": key = args[i + 1]; break;
                case "--clients": clients = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                default: return null;
            }
        }
        if (url is null || key is null || clients < 1 || seconds < 1)
        {
            return null;
        }
        return new BenchOptions(new Uri(url), key, clients, seconds);
    }
}
