"""Coefficients of the same-story score, written by `python -m digest.calibrate`.

Fitted on the fit split of the SemEval-2022 Task 8 dev pairs; see digest.similarity.
"""

CALIBRATION = {
    "fitted_on": "759 fit-split pairs",
    "mean": {
        "cos": 0.450282,
        "head": 0.36949,
        "num": 0.213875,
        "num_known": 0.661397,
        "ent": 0.208577,
        "ent_known": 0.939394,
        "num_shared": 0.2869,
        "ent_shared": 1.047893,
        "min_len": 6.592616,
        "len_ratio": 0.406912,
        "cross": 0.301713,
        "cos_cross": 0.129798,
        "ent_cross": 0.050907,
        "cos_sq": 0.251391,
        "align_low": 0.2644,
        "align_high": 0.319484,
        "align_top": 0.404319
    },
    "scale": {
        "cos": 0.22054,
        "head": 0.214661,
        "num": 0.345956,
        "num_known": 0.473235,
        "ent": 0.220391,
        "ent_known": 0.238606,
        "num_shared": 0.435899,
        "ent_shared": 0.872807,
        "min_len": 0.525314,
        "len_ratio": 0.608854,
        "cross": 0.459001,
        "cos_cross": 0.229357,
        "ent_cross": 0.132508,
        "cos_sq": 0.205167,
        "align_low": 0.136083,
        "align_high": 0.151482,
        "align_top": 0.187294
    },
    "weights": {
        "cos": 0.40076,
        "head": 0.530447,
        "num": 0.122202,
        "num_known": -0.107173,
        "ent": -0.071184,
        "ent_known": -0.132696,
        "num_shared": 0.016549,
        "ent_shared": 0.21485,
        "min_len": -0.327157,
        "len_ratio": -0.10601,
        "cross": -0.072647,
        "cos_cross": 0.056954,
        "ent_cross": 0.194391,
        "cos_sq": 0.842095,
        "align_low": -1.041836,
        "align_high": 0.107731,
        "align_top": 0.6255
    },
    "bias": -0.57397,
    "threshold": 0.65,
    "offsets": {
        "same_outlet": -0.5,
        "days_apart_free": 2.0,
        "per_day_beyond": -1.0
    }
}
