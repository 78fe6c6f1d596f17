"""Evaluation: digest's quality measured against human gold data, beside the baselines.

`digest bench NAME` runs these: `dedup` (pairs rated by people), `stories`
(gold stories of a day), `memory` (gold stories across days), `summaries`
(reference summaries, Lead beside), `blurbs` (multi-document references,
Lead and round robin beside), `extraction` (article bodies, plain trafilatura
beside). Each reads the data from paths given as arguments.
"""
