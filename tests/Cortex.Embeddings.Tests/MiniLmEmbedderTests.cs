namespace Cortex.Embeddings.Tests;

public sealed class MiniLmEmbedderTests
{
    private static readonly ITextEmbedder Embedder = MiniLmEmbedder.Shared;

    [Fact]
    public void Vectors_have_384_dimensions_and_unit_length()
    {
        var vector = Embedder.Embed("The deploy failed because the database migration timed out.");

        Assert.Equal(384, Embedder.Dimensions);
        Assert.Equal(384, vector.Length);
        Assert.InRange(Norm(vector), 0.999, 1.001);
        Assert.Contains(vector, x => x != 0f);
    }

    [Fact]
    public void The_same_text_always_gives_the_same_vector()
    {
        const string Text = "Rotate the API key before it expires.";

        var first = Embedder.Embed(Text);
        var second = Embedder.Embed(Text);

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_paraphrase_is_closer_than_an_unrelated_sentence()
    {
        var question = Embedder.Embed("How do I restart the web server after changing its configuration?");
        var paraphrase = Embedder.Embed("Steps to reboot the HTTP service once its config file was edited");
        var unrelated = Embedder.Embed("Our quarterly sales grew in the northern region thanks to a new partner.");

        var toParaphrase = VectorMath.Cosine(question, paraphrase);
        var toUnrelated = VectorMath.Cosine(question, unrelated);

        Assert.True(toParaphrase > toUnrelated + 0.2f, $"paraphrase {toParaphrase:F3}, unrelated {toUnrelated:F3}");
    }

    [Fact]
    public void A_batch_matches_single_embeddings_in_input_order()
    {
        string[] texts =
        [
            "short",
            "A considerably longer sentence about replicas, feeds and cursors that forces padding in its batch.",
            "",
            "Medium length text about search.",
        ];

        var batch = Embedder.EmbedBatch(texts);

        Assert.Equal(texts.Length, batch.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = Embedder.Embed(texts[i]);
            Assert.True(VectorMath.Cosine(single, batch[i]) > 0.999f, $"text {i} differs between batch and single embedding");
            Assert.InRange(Norm(batch[i]), 0.999, 1.001);
        }
    }

    [Fact]
    public void A_batch_larger_than_one_model_call_keeps_every_vector_in_place()
    {
        var texts = Enumerable.Range(0, 70).Select(i => $"Observation number {i}: build {i * 7} finished on runner {i % 5}.").ToArray();

        var batch = Embedder.EmbedBatch(texts);

        Assert.Equal(70, batch.Count);
        Assert.True(VectorMath.Cosine(batch[69], Embedder.Embed(texts[69])) > 0.999f);
        Assert.True(VectorMath.Cosine(batch[0], Embedder.Embed(texts[0])) > 0.999f);
    }

    [Fact]
    public void Concurrent_callers_get_the_same_vectors_as_a_single_caller()
    {
        var texts = Enumerable.Range(0, 16).Select(i => $"Thread-safety check sentence {i} about sync cursors.").ToArray();
        var expected = texts.Select(t => Embedder.Embed(t)).ToArray();

        var actual = new float[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = Embedder.Embed(texts[i]));

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void A_cancelled_token_stops_before_the_model_runs()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Embedder.EmbedBatch(["anything"], cancelled.Token));
    }

    private static double Norm(float[] vector) => Math.Sqrt(vector.Sum(x => (double)x * x));
}
