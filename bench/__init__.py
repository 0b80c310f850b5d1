"""Benchmarks (not part of the app): see bench/README.md."""
