"""Background jobs: one enqueue wrapper, RQ on Redis or in-process, status kept in shared."""
