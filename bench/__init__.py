"""Benchmarks: `make bench` runs `python -m bench` and writes docs/performance.md."""
