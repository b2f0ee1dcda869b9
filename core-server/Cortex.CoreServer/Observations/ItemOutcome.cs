using Cortex.CoreServer.Errors;

namespace Cortex.CoreServer.Observations;

/// <summary>What happened to one item of an ingest, filled in as it passes validation, the access checks and the write.</summary>
internal sealed class ItemOutcome
{
    public const string Created = "created";
    public const string Existing = "existing";
    public const string Conflict = "conflict";
    public const string Rejected = "rejected";

    public ObservationInput? Input { get; init; }

    public string? ClientId { get; init; }

    /// <summary>Null while the item is still on its way to the database.</summary>
    public string? Status { get; set; }

    public string? Id { get; set; }

    public byte[]? Hash { get; set; }

    public string? SubcortexId { get; set; }

    /// <summary>For a refused item: which problem it would be on its own (the single endpoint answers with it).</summary>
    public ProblemKind? Problem { get; private set; }

    public IReadOnlyList<ItemError>? Errors { get; private set; }

    /// <summary>Later items of the same batch with the same client id; they share this item's fate.</summary>
    public List<ItemOutcome> Duplicates { get; } = [];

    public static ItemOutcome Refused(ProblemKind problem, string? clientId, IReadOnlyList<ItemError> errors) =>
        new() { ClientId = clientId, Status = Rejected, Problem = problem, Errors = errors };

    public void Refuse(ProblemKind problem, IReadOnlyList<ItemError> errors)
    {
        Status = Rejected;
        Problem = problem;
        Errors = errors;
    }

    /// <summary>Another observation already holds this client id: the same content is a replay, other content a conflict.</summary>
    public void Settle(string existingId, byte[] existingHash)
    {
        Id = existingId;
        if (existingHash.AsSpan().SequenceEqual(Hash))
        {
            Status = Existing;
            return;
        }

        Status = Conflict;
        Problem = ProblemKind.Conflict;
        Errors = [new ItemError("clientId", "A different observation was already recorded under this client id.")];
    }

    public ObservationItemResult ToResult(int index) => new(index, ClientId, Status!, Id, Errors);
}
