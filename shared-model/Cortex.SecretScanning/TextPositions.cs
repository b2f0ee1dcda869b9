namespace Cortex.SecretScanning;

/// <summary>Maps offsets in a text to 1-based lines and columns; <c>\r\n</c>, <c>\n</c> and <c>\r</c> end a line.</summary>
internal sealed class TextPositions
{
    private readonly List<int> _lineStarts = [0];

    public TextPositions(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
                _lineStarts.Add(i + 1);
            }
            else if (c is '\n' or '\r')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public (int Line, int Column) Locate(int offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - _lineStarts[line] + 1);
    }
}
