using Cortex.Crdt;
using Cortex.Crdt.Core;

namespace Cortex.SyncProtocol;

/// <summary>
/// The body of a document: the text of its <see cref="DocumentIds.BodyText"/> root. Server and daemon edit it the same
/// way, so a whole-text replacement becomes the smallest CRDT edit (common prefix and suffix kept), which merges with
/// concurrent edits elsewhere in the text instead of clobbering them.
/// </summary>
public static class DocumentBody
{
    /// <summary>The empty v1 update (no structs, no deletes).</summary>
    public static ReadOnlySpan<byte> EmptyUpdate => [0, 0];

    public static string Read(Doc doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return doc.GetText(DocumentIds.BodyText).ToString();
    }

    /// <summary>A doc holding <paramref name="updates"/> (applied as one merged update).</summary>
    public static Doc Load(IReadOnlyList<byte[]> updates, long? clientId = null)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var doc = new Doc(clientId);
        if (updates.Count > 0)
        {
            Y.ApplyUpdate(doc, updates.Count == 1 ? updates[0] : Y.MergeUpdates(updates));
        }

        return doc;
    }

    /// <summary>Edits the body into <paramref name="text"/>; returns the update, or null when nothing changed.</summary>
    public static byte[]? Replace(Doc doc, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var current = Read(doc);
        if (current == text)
        {
            return null;
        }

        var prefix = CommonPrefix(current, text);
        var suffix = CommonSuffix(current, text, prefix);
        return Splice(doc, prefix, current.Length - prefix - suffix, text.Substring(prefix, text.Length - prefix - suffix));
    }

    /// <summary>Deletes <paramref name="deleteCount"/> UTF-16 units at <paramref name="index"/> and inserts
    /// <paramref name="insert"/> there, in one transaction; returns the update, or null when nothing changed.</summary>
    public static byte[]? Splice(Doc doc, int index, int deleteCount, string insert)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(insert);
        var body = doc.GetText(DocumentIds.BodyText);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(deleteCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index + deleteCount, body.Count);
        if (deleteCount == 0 && insert.Length == 0)
        {
            return null;
        }

        byte[]? update = null;
        void Capture(object? sender, DocUpdateEventArgs e) => update = e.Update;
        doc.Updated += Capture;
        try
        {
            doc.Transact(_ =>
            {
                if (deleteCount > 0)
                {
                    body.Delete(index, deleteCount);
                }

                if (insert.Length > 0)
                {
                    body.Insert(index, insert);
                }
            });
        }
        finally
        {
            doc.Updated -= Capture;
        }

        return update;
    }

    private static int CommonPrefix(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        var i = 0;
        while (i < length && a[i] == b[i])
        {
            i++;
        }

        // Never split a surrogate pair: yjs would turn both halves into U+FFFD.
        return i > 0 && char.IsHighSurrogate(a[i - 1]) ? i - 1 : i;
    }

    private static int CommonSuffix(string a, string b, int prefix)
    {
        var max = Math.Min(a.Length, b.Length) - prefix;
        var i = 0;
        while (i < max && a[a.Length - 1 - i] == b[b.Length - 1 - i])
        {
            i++;
        }

        return i > 0 && char.IsLowSurrogate(a[a.Length - i]) ? i - 1 : i;
    }
}
