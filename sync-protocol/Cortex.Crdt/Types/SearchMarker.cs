using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Types;

/// <summary>
/// A cached (item, index) pair that speeds up position lookups in lists and text. Replicates yjs's policy exactly
/// (at most 80 markers, least recently used replaced) because the chosen left neighbour of a local insert depends on it.
/// </summary>
internal sealed class SearchMarker
{
    private const int MaxMarkers = 80;
    // Shared by all documents like yjs's global counter; only the relative order within one type matters.
    private static long _timestamp;

    private SearchMarker(Item item, int index)
    {
        item.Marker = true;
        Item = item;
        Index = index;
        Timestamp = Interlocked.Increment(ref _timestamp);
    }

    public Item Item { get; set; }

    public int Index { get; set; }

    public long Timestamp { get; private set; }

    private void Refresh() => Timestamp = Interlocked.Increment(ref _timestamp);

    private void Overwrite(Item item, int index)
    {
        Item.Marker = false;
        Item = item;
        item.Marker = true;
        Index = index;
        Timestamp = Interlocked.Increment(ref _timestamp);
    }

    private static SearchMarker Mark(List<SearchMarker> markers, Item item, int index)
    {
        if (markers.Count >= MaxMarkers)
        {
            var oldest = markers[0];
            for (var i = 1; i < markers.Count; i++)
            {
                if (markers[i].Timestamp < oldest.Timestamp)
                {
                    oldest = markers[i];
                }
            }

            oldest.Overwrite(item, index);
            return oldest;
        }

        var marker = new SearchMarker(item, index);
        markers.Add(marker);
        return marker;
    }

    public static SearchMarker? Find(AbstractType type, int index)
    {
        var markers = type.SearchMarkers;
        if (type.Start == null || index == 0 || markers == null)
        {
            return null;
        }

        SearchMarker? marker = null;
        if (markers.Count > 0)
        {
            marker = markers[0];
            var best = Math.Abs(index - marker.Index);
            for (var i = 1; i < markers.Count; i++)
            {
                var d = Math.Abs(index - markers[i].Index);
                if (d <= best)
                {
                    best = d;
                    marker = markers[i];
                }
            }
        }

        var p = type.Start;
        var pindex = 0;
        if (marker != null)
        {
            p = marker.Item;
            pindex = marker.Index;
            marker.Refresh();
        }

        while (p.Right != null && pindex < index)
        {
            if (p.Visible)
            {
                if (index < pindex + p.Length)
                {
                    break;
                }

                pindex += p.Length;
            }

            p = p.Right;
        }

        while (p.Left != null && pindex > index)
        {
            p = p.Left;
            if (p.Visible)
            {
                pindex -= p.Length;
            }
        }

        // Never point at an item that could still merge with its left neighbour.
        while (p.Left != null && p.Left.Client == p.Client && p.Left.Clock + p.Left.Length == p.Clock)
        {
            p = p.Left;
            if (p.Visible)
            {
                pindex -= p.Length;
            }
        }

        if (marker != null && Math.Abs(marker.Index - pindex) < (double)p.Parent!.Length / MaxMarkers)
        {
            marker.Overwrite(p, pindex);
            return marker;
        }

        return Mark(markers, p, pindex);
    }

    /// <summary>Shifts markers after an insert (len &gt; 0) or delete (len &lt; 0) at <paramref name="index"/>.</summary>
    public static void UpdateChanges(List<SearchMarker> markers, int index, int len)
    {
        for (var i = markers.Count - 1; i >= 0; i--)
        {
            var m = markers[i];
            if (len > 0)
            {
                Item? p = m.Item;
                p.Marker = false;
                while (p != null && (p.Deleted || !p.Countable))
                {
                    p = p.Left;
                    if (p != null && p.Visible)
                    {
                        m.Index -= p.Length;
                    }
                }

                if (p == null || p.Marker)
                {
                    markers.RemoveAt(i);
                    continue;
                }

                m.Item = p;
                p.Marker = true;
            }

            if (index < m.Index || (len > 0 && index == m.Index))
            {
                m.Index = Math.Max(index, m.Index + len);
            }
        }
    }
}
