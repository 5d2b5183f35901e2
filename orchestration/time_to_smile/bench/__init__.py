"""`smile bench`: the pipeline's cost at a ladder of company sizes (docs/benchmarks.md)."""
