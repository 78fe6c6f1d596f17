"""Deduplicate: the outlets that tell the same story become one story.

Takes summarised `Article`s; gives `Story`s (models.py), each with its members
best first. `nearcopy` finds syndicated copies, `similarity` is the calibrated
same-story score (with `alignment` and `signals`; coefficients in
`calibration`), `cluster` groups by average linkage, `deduplicator` runs it all.
"""
