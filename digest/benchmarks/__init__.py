"""Benchmarks of speed and operations, never used by a run.

`digest bench NAME` (see `digest/commands/bench.py`) runs one module here or
in `digest.evaluation`, each with `add_arguments(parser)` and
`main(args, config) -> int`, printing JSON to stdout: build, send, fetch,
clean, cluster, readers and unsubscribe time what a run does; `smtp_sink` and
`tiny_models` are the local SMTP server and the tiny summarisation models they
(and the tests) use. Data comes from paths given as arguments; nothing here
ships data.
"""
