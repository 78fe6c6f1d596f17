"""Fitting: the coefficients digest ships, fitted on development data.

`python -m digest.fitting.calibrate PAIRS.csv [--stories DIR --gold GOLD.csv]`
fits the same-story score (`calibrate`, `calibrate_events`) and writes
`digest/dedup/calibration.py`; `semeval` reads the labelled pairs it fits on
(and `digest bench dedup` measures on).
"""
