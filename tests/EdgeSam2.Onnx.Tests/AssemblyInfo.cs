// OrtRuntime.LiveHandles is process-wide: tests that compare it before and after must not overlap other ORT work.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
