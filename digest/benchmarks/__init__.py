"""Tools that fit and measure, never used by a run.

`digest bench NAME` runs one module per benchmark here, each with
`add_arguments(parser)` and `main(args, config) -> int`, printing JSON to stdout;
`calibrate` fits the same-story score (`python -m digest.benchmarks.calibrate`),
`semeval` reads the labelled pairs it is fitted and measured on. They read data
from paths given as arguments; nothing here ships data."""
