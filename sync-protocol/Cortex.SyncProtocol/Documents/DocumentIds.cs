using System.Globalization;

namespace Cortex.SyncProtocol;

/// <summary>What a document body belongs to.</summary>
public enum DocumentOwnerKind
{
    Thread,
    Draft,
    ArtifactVersion,
}

/// <summary>A parsed document id: <c>thread:{id}</c>, <c>draft:{id}</c> or <c>artifact:{artifactId}:{number}</c>.</summary>
public sealed record DocumentRef(DocumentOwnerKind Kind, string EntityId, int? VersionNumber = null)
{
    public override string ToString() => DocumentIds.Format(this);
}

/// <summary>
/// The document id format. Each document is a Yjs doc with one <c>Y.Text</c> named <see cref="BodyText"/> holding the
/// markdown source; its text is materialized into the owning entity's body.
/// </summary>
public static class DocumentIds
{
    public const string BodyText = "body";
    public const int MaxLength = 160;

    public static string Thread(string threadId) => "thread:" + threadId;

    public static string Draft(string draftId) => "draft:" + draftId;

    public static string ArtifactVersion(string artifactId, int number) =>
        "artifact:" + artifactId + ":" + number.ToString(CultureInfo.InvariantCulture);

    public static string Format(DocumentRef document) => document.Kind switch
    {
        DocumentOwnerKind.Thread => Thread(document.EntityId),
        DocumentOwnerKind.Draft => Draft(document.EntityId),
        _ => ArtifactVersion(document.EntityId, document.VersionNumber ?? 0),
    };

    public static bool TryParse(string? documentId, out DocumentRef document)
    {
        document = null!;
        if (string.IsNullOrEmpty(documentId) || documentId.Length > MaxLength)
        {
            return false;
        }

        var parts = documentId.Split(':');
        switch (parts)
        {
            case ["thread", var id] when IsId(id):
                document = new DocumentRef(DocumentOwnerKind.Thread, id);
                return true;
            case ["draft", var id] when IsId(id):
                document = new DocumentRef(DocumentOwnerKind.Draft, id);
                return true;
            case ["artifact", var id, var number] when IsId(id)
                                                        && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                                                        && n > 0 && number == n.ToString(CultureInfo.InvariantCulture):
                document = new DocumentRef(DocumentOwnerKind.ArtifactVersion, id, n);
                return true;
            default:
                return false;
        }
    }

    private static bool IsId(string id) => id.Length is > 0 and <= 64 && id.All(char.IsAsciiLetterOrDigit);
}
