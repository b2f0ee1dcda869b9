namespace Cortex.CoreServer.Search;

public sealed record SearchRequest(string Query, SearchMode Mode, SearchFilter Filter, int Offset, int Limit);
