namespace Cortex.CoreServer.Sessions;

/// <summary>Where the built web UI lives (<c>Cortex:Web</c>).</summary>
public sealed class WebAppOptions
{
    public const string Section = "Cortex:Web";

    /// <summary>
    /// The folder holding the built web UI (<c>web/dist</c>: <c>index.html</c> and <c>assets/</c>). When empty, the server
    /// looks for <c>wwwroot</c> beside its binary, then for <c>web/dist</c> in the folders above its binary and its working
    /// directory, so both <c>dotnet run</c> and <c>scripts/up.sh</c>'s published copy find the repository's build.
    /// </summary>
    public string? Root { get; set; }
}
