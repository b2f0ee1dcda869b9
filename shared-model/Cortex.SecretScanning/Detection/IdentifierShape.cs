namespace Cortex.SecretScanning.Detection;

/// <summary>
/// Tells a name made of words ("lastStartTagName", "GPT2Tokenizer", "x86", "MAX") from random characters
/// ("kLmQpRtXz4Wv") without a dictionary: words come in runs of lower case after at most a few capitals, with
/// few and short numbers; random text switches case and class every character or two.
/// </summary>
internal static class IdentifierShape
{
    private const int MaxDigitRuns = 2;
    private const int MaxDigitRunLength = 4;

    public static bool IsWordLike(ReadOnlySpan<char> segment)
    {
        var digitRuns = 0;
        var i = 0;
        while (i < segment.Length)
        {
            var start = i;
            if (char.IsAsciiDigit(segment[i]))
            {
                while (i < segment.Length && char.IsAsciiDigit(segment[i]))
                {
                    i++;
                }

                if (++digitRuns > MaxDigitRuns || i - start > MaxDigitRunLength)
                {
                    return false;
                }

                continue;
            }

            if (!char.IsAsciiLetter(segment[i]))
            {
                return false;
            }

            while (i < segment.Length && char.IsAsciiLetter(segment[i]))
            {
                i++;
            }

            if (!AreWords(segment[start..i]))
            {
                return false;
            }
        }

        return true;
    }

    // All capitals (a constant or an acronym), or an optional lower-case head followed by pieces that are each a
    // capital and then lower-case letters ("Tag"); a trailing acronym is allowed ("parseURL").
    private static bool AreWords(ReadOnlySpan<char> letters)
    {
        if (!letters.ContainsAnyInRange('a', 'z'))
        {
            return true;
        }

        var i = 0;
        while (i < letters.Length && char.IsAsciiLetterLower(letters[i]))
        {
            i++;
        }

        if (i == letters.Length)
        {
            return HasVowels(letters);
        }

        // A two-letter word ("In", "No") or an acronym run into a word ("HTTPServer") is an oddity a name has at most
        // once per run of letters; random text has several.
        var oddities = 0;
        while (i < letters.Length)
        {
            var upperStart = i;
            while (i < letters.Length && char.IsAsciiLetterUpper(letters[i]))
            {
                i++;
            }

            var lowerStart = i;
            while (i < letters.Length && char.IsAsciiLetterLower(letters[i]))
            {
                i++;
            }

            var lowerLength = i - lowerStart;
            var upperLength = lowerStart - upperStart;
            if ((lowerLength == 0 && i < letters.Length) || upperLength > 6)
            {
                return false;
            }

            if ((lowerLength == 1 || (upperLength > 1 && lowerLength > 0)) && ++oddities > 1)
            {
                return false;
            }
        }

        return true;
    }

    // Lower-case words have a vowel in every six letters or so ("length", "string"); a third of random runs do not.
    private static bool HasVowels(ReadOnlySpan<char> word)
    {
        if (word.Length < 5)
        {
            return true;
        }

        var vowels = 0;
        foreach (var c in word)
        {
            if (c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y')
            {
                vowels++;
            }
        }

        return vowels * 6 >= word.Length;
    }
}
