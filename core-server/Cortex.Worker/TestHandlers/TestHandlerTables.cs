namespace Cortex.Worker.TestHandlers;

/// <summary>
/// Handlers that let integration tests watch a real worker process, registered only when
/// <c>Cortex:Worker:EnableTestHandlers</c> is true (never in production). The tests create the tables.
/// </summary>
public static class TestHandlerTables
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS worker_test_executions (
            job_id    bigint PRIMARY KEY,
            worker_id text   NOT NULL
        );
        CREATE TABLE IF NOT EXISTS worker_test_attempts (
            job_id    bigint  NOT NULL,
            attempt   integer NOT NULL,
            worker_id text    NOT NULL,
            PRIMARY KEY (job_id, attempt)
        );
        """;
}
