namespace Cortex.Crdt.Encoding;

/// <summary>
/// A plain JavaScript object: string keys, insertion order kept (integer-like keys first, ascending, as JS engines order them).
/// </summary>
public sealed class JsObject : IDictionary<string, object?>, IReadOnlyDictionary<string, object?>
{
    private readonly List<KeyValuePair<string, object?>> _entries = [];
    private readonly bool _integerKeysFirst = true;

    public JsObject()
    {
    }

    private JsObject(bool integerKeysFirst)
    {
        _integerKeysFirst = integerKeysFirst;
    }

    /// <summary>An ordered map with JavaScript <c>Map</c> semantics: plain insertion order, re-added keys go last.</summary>
    public static JsObject CreateMap() => new(integerKeysFirst: false);

    public JsObject Copy()
    {
        var copy = new JsObject(_integerKeysFirst);
        copy._entries.AddRange(_entries);
        return copy;
    }

    public JsObject(IEnumerable<KeyValuePair<string, object?>> entries)
    {
        foreach (var (key, value) in entries)
        {
            this[key] = value;
        }
    }

    public int Count => _entries.Count;

    public bool IsReadOnly => false;

    public ICollection<string> Keys => _entries.ConvertAll(e => e.Key);

    public ICollection<object?> Values => _entries.ConvertAll(e => e.Value);

    IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => Keys;

    IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Values;

    public object? this[string key]
    {
        get => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);
        set
        {
            var i = IndexOf(key);
            if (i >= 0)
            {
                _entries[i] = new(key, value);
                return;
            }

            if (_integerKeysFirst && TryArrayIndex(key, out var index))
            {
                var pos = 0;
                while (pos < _entries.Count && TryArrayIndex(_entries[pos].Key, out var other) && other < index)
                {
                    pos++;
                }

                _entries.Insert(pos, new(key, value));
            }
            else
            {
                _entries.Add(new(key, value));
            }
        }
    }

    private static bool TryArrayIndex(string key, out uint index)
    {
        index = 0;
        if (key.Length == 0 || key.Length > 10 || (key.Length > 1 && key[0] == '0'))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return uint.TryParse(key, out index) && index != uint.MaxValue;
    }

    private int IndexOf(string key)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }

    public void Add(string key, object? value)
    {
        if (IndexOf(key) >= 0)
        {
            throw new ArgumentException("Duplicate key", nameof(key));
        }

        this[key] = value;
    }

    public void Add(KeyValuePair<string, object?> item) => Add(item.Key, item.Value);

    public void Clear() => _entries.Clear();

    public bool Contains(KeyValuePair<string, object?> item) => IndexOf(item.Key) >= 0;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Remove(string key)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            return false;
        }

        _entries.RemoveAt(i);
        return true;
    }

    public bool Remove(KeyValuePair<string, object?> item) => Remove(item.Key);

    public bool TryGetValue(string key, out object? value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _entries[i].Value : null;
        return i >= 0;
    }
}
