namespace Cortex.SyncProtocol.Tests;

public sealed class DocumentIdsTests
{
    [Theory]
    [InlineData("thread:01JDQ6Y4ZK8W0S2G7M3T5V9XTH", DocumentOwnerKind.Thread, "01JDQ6Y4ZK8W0S2G7M3T5V9XTH", null)]
    [InlineData("draft:01JDQ6Y4ZK8W0S2G7M3T5V9XDR", DocumentOwnerKind.Draft, "01JDQ6Y4ZK8W0S2G7M3T5V9XDR", null)]
    [InlineData("artifact:01JDQ6Y4ZK8W0S2G7M3T5V9XAR:12", DocumentOwnerKind.ArtifactVersion, "01JDQ6Y4ZK8W0S2G7M3T5V9XAR", 12)]
    public void Parses_and_formats_the_same_id(string id, DocumentOwnerKind kind, string entityId, int? number)
    {
        Assert.True(DocumentIds.TryParse(id, out var document));
        Assert.Equal(new DocumentRef(kind, entityId, number), document);
        Assert.Equal(id, document.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("thread:")]
    [InlineData("comment:01JDQ6Y4ZK8W0S2G7M3T5V9XTH")]
    [InlineData("thread:01JDQ:extra")]
    [InlineData("thread:../etc")]
    [InlineData("artifact:01JDQ6Y4ZK8W0S2G7M3T5V9XAR:0")]
    [InlineData("artifact:01JDQ6Y4ZK8W0S2G7M3T5V9XAR:012")]
    [InlineData("artifact:01JDQ6Y4ZK8W0S2G7M3T5V9XAR:-1")]
    [InlineData("artifact:01JDQ6Y4ZK8W0S2G7M3T5V9XAR")]
    public void Refuses_anything_else(string id) => Assert.False(DocumentIds.TryParse(id, out _));

    [Theory]
    [InlineData("An unexpected error occurred invoking 'PushDocumentUpdate' on the server. HubException: secret_detected: an AWS key", "secret_detected")]
    [InlineData("document_read_only: the reader role may not edit", "document_read_only")]
    [InlineData("Connection closed", null)]
    public void Reads_the_code_of_a_refusal(string message, string? code) => Assert.Equal(code, DocumentErrors.CodeOf(message));
}
