using System.Buffers;

namespace Cortex.SecretScanning.Detection;

/// <summary>
/// Word boundaries, checked on the text around a match instead of with <c>\b</c>, <c>^</c> or <c>$</c> in the
/// pattern: with a match timeout, .NET's non-backtracking engine can treat the point where it pauses to check the
/// clock as the end of the input and then miss anchored matches in long texts (the class of bug reported as
/// dotnet/runtime#74467; reproduced on .NET 10.0.12 with multi-megabyte inputs). Patterns stay anchor-free.
/// </summary>
internal static class Boundaries
{
    private static readonly SearchValues<char> WordCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    public static bool StartsWord(Candidate candidate) =>
        candidate.Start == 0 || !WordCharacters.Contains(candidate.Text[candidate.Start - 1]);

    public static bool EndsWord(Candidate candidate) =>
        candidate.End == candidate.Text.Length || !WordCharacters.Contains(candidate.Text[candidate.End]);

    public static bool IsWord(Candidate candidate) => StartsWord(candidate) && EndsWord(candidate);

    public static bool NotFollowedBy(Candidate candidate, SearchValues<char> characters) =>
        candidate.End == candidate.Text.Length || !characters.Contains(candidate.Text[candidate.End]);
}
