namespace Cortex.SecretScanning;

/// <summary>
/// One secret found in a text. It never carries the secret itself, so it can be logged, stored and sent anywhere.
/// </summary>
/// <param name="Kind">What kind of secret it is, e.g. <c>aws-access-key</c> (see <see cref="SecretKinds"/>).</param>
/// <param name="DetectorId">The stable id of the detector that found it.</param>
/// <param name="Line">1-based line; <c>\r\n</c>, <c>\n</c> and a lone <c>\r</c> each end a line.</param>
/// <param name="Column">1-based column in UTF-16 code units.</param>
/// <param name="Offset">0-based offset of the secret in the scanned text, in UTF-16 code units.</param>
/// <param name="Length">Length of the secret in UTF-16 code units.</param>
public sealed record SecretFinding(string Kind, string DetectorId, int Line, int Column, int Offset, int Length)
{
    public int End => Offset + Length;
}
