"""Benchmarks behind `digest bench NAME`: one module per benchmark, each with
`add_arguments(parser)` and `main(args) -> int`, printing JSON to stdout.
They read data from paths given as arguments; nothing here ships data."""
