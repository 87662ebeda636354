"""Benchmark and load-test harness: `make bench`, `make loadtest` (see docs/performance.md)."""
