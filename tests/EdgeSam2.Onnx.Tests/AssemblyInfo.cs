// ORT's environment (its logger and library) is process-wide: tests that read what it logs must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
