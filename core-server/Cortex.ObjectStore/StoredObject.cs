namespace Cortex.ObjectStore;

/// <summary>The outcome of a put, measured while the content streamed through.</summary>
/// <param name="Key">Where the content is stored.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Sha256">Lower-case hex sha256 of the content.</param>
/// <param name="ContentType">The media type sniffed from the first bytes (<see cref="ContentSniffer"/>).</param>
/// <param name="AlreadyExisted">True when a content-addressed put found the content already stored.</param>
public sealed record StoredObject(string Key, long Size, string Sha256, string ContentType, bool AlreadyExisted);
