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
        "cos_sq": 0.251391
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
        "cos_sq": 0.205167
    },
    "weights": {
        "cos": 0.284544,
        "head": 0.528418,
        "num": 0.174358,
        "num_known": -0.101189,
        "ent": -0.115074,
        "ent_known": -0.103804,
        "num_shared": -0.02942,
        "ent_shared": 0.297314,
        "min_len": -0.201957,
        "len_ratio": 0.056245,
        "cross": -0.129639,
        "cos_cross": 0.125846,
        "ent_cross": 0.184632,
        "cos_sq": 0.616593
    },
    "bias": -0.570936,
    "threshold": 0.69,
    "offsets": {
        "same_outlet": -0.5,
        "days_apart_free": 2.0,
        "per_day_beyond": -1.0
    }
}
