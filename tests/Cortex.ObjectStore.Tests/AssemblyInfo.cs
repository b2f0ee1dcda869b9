// The streaming tests measure this process's memory, which parallel test classes would disturb.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
