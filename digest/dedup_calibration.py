"""Coefficients of the same-story score, written by `python -m digest.calibrate`.

Fitted on the fit split of the SemEval-2022 Task 8 dev pairs; see digest.similarity.
"""

CALIBRATION = {
    "fitted_on": "759 fit-split pairs",
    "mean": {
        "cos": 0.450282,
        "head": 0.36949,
        "num": 0.213809,
        "num_known": 0.661397,
        "ent": 0.208577,
        "ent_known": 0.939394,
        "num_shared": 0.286606,
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
        "num": 0.346325,
        "num_known": 0.473235,
        "ent": 0.220391,
        "ent_known": 0.238606,
        "num_shared": 0.435931,
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
        "cos": 0.399583,
        "head": 0.53094,
        "num": 0.121402,
        "num_known": -0.106001,
        "ent": -0.07102,
        "ent_known": -0.132651,
        "num_shared": 0.015103,
        "ent_shared": 0.215048,
        "min_len": -0.327105,
        "len_ratio": -0.105792,
        "cross": -0.072582,
        "cos_cross": 0.05699,
        "ent_cross": 0.194194,
        "cos_sq": 0.842666,
        "align_low": -1.041197,
        "align_high": 0.107937,
        "align_top": 0.625357
    },
    "bias": -0.573932,
    "threshold": 0.65,
    "offsets": {
        "same_outlet": -0.5,
        "days_apart_free": 2.0,
        "per_day_beyond": -1.0
    }
}
