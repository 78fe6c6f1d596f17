"""The dev-pair reader, the calibration fit and the two dedup benchmarks, end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from digest.benchmarks.calibrate import best_threshold, fit_logistic
from digest.benchmarks.semeval import read_pairs, split_of, to_article
from digest.cli import main as digest_main
from digest.errors import DigestError

ROBBERY_EN = "Bank robbed in Lyon\nThree armed men robbed a bank in central Lyon on Monday and escaped with 250,000 euros."
ROBBERY_FR = "Braquage à Lyon\nTrois hommes armés ont braqué une banque du centre de Lyon lundi et sont repartis avec 250 000 euros."
VOTE_EN = "Parliament passes climate law\nThe parliament passed a climate law on Tuesday that cuts emissions by 2035."
VOTE_DE = "Parlament beschließt Klimagesetz\nDas Parlament hat am Dienstag ein Klimagesetz beschlossen, das die Emissionen bis 2035 senkt."
RECIPE = (
    "A simple bread recipe\nMix flour, water, salt and yeast, let the dough rise for two hours and bake it."
)
MATCH = "Cup final\nRovers beat City 2-1 in the cup final with a late goal from their captain."


def mojibake(text: str) -> str:
    """UTF-8 read as Latin-1, as in the published SemEval files."""
    return text.encode("utf-8").decode("latin-1")


def write_pairs(path: Path) -> Path:
    rows = [
        ("p1", "en", "fr", ROBBERY_EN, mojibake(ROBBERY_FR), 1.0),
        ("p2", "en", "de", VOTE_EN, VOTE_DE, 1.0),
        ("p3", "en", "en", ROBBERY_EN, RECIPE, 4.0),
        ("p4", "de", "en", VOTE_DE, MATCH, 4.0),
        ("p5", "en", "en", VOTE_EN, MATCH, 3.0),
    ]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["", "pair_id", "lang1", "lang2", "text1", "text2", "Geography", "Overall"])
        for n, row in enumerate(rows):
            writer.writerow([n, *row[:5], 1, row[5]])
    return path


def test_pairs_are_read_with_mojibake_repaired_and_headlines_split(tmp_path):
    pairs = read_pairs(write_pairs(tmp_path / "pairs.csv"))
    assert [p.pair_id for p in pairs] == ["p1", "p2", "p3", "p4", "p5"]
    assert pairs[0].second.title == "Braquage à Lyon"
    assert pairs[0].second.text.startswith("Trois hommes armés")
    assert pairs[0].cross_language and not pairs[2].cross_language
    assert [p.label for p in pairs] == [1, 1, 0, 0, None]
    assert to_article(" one paragraph without a headline ", "en", "x").title == ""


def test_a_file_in_another_layout_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "other.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DigestError, match="other.csv.*missing column"):
        read_pairs(bad)


def test_the_split_is_stable_and_holds_out_about_two_fifths():
    ids = [f"{n}_{n + 7}" for n in range(2000)]
    held = sum(split_of(i) == "holdout" for i in ids)
    assert 700 < held < 900
    assert split_of("1586893419_1587582551") == split_of("1586893419_1587582551")


def test_fit_logistic_recovers_known_coefficients():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4000, 2))
    p = 1 / (1 + np.exp(-(x @ np.array([2.0, -1.0]) + 0.5)))
    weights, bias = fit_logistic(x, p, l2=0.0)
    assert np.allclose(weights, [2.0, -1.0], atol=0.02) and abs(bias - 0.5) < 0.02


def test_best_threshold_separates_two_groups():
    scores = np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9])
    labels = np.array([0, 0, 0, 1, 1, 1])
    assert 0.3 < best_threshold(scores, labels) <= 0.7


def test_bench_dedup_prints_the_figures_and_saves_scores(tmp_path, capsys):
    pairs = write_pairs(tmp_path / "pairs.csv")
    saved = tmp_path / "scores.csv"
    assert digest_main(["bench", "dedup", "--pairs", str(pairs), "--save", str(saved)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pairs"] == 5 and report["roc_auc"] == 1.0
    assert report["pearson_r"] < -0.8
    assert report["f1"] == 1.0 and report["cross_language"]["f1"] == 1.0
    assert report["pairs_per_second"] > 0
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert [r["pair_id"] for r in rows] == ["p1", "p2", "p3", "p4", "p5"]
    assert [r["same"] for r in rows[:4]] == ["1", "1", "0", "0"]


def test_bench_cluster_lists_every_article_once(tmp_path, seeds_dir, capsys):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "recipe.txt").write_text(
        RECIPE.replace("\n", "\n\n") + " Serve it warm with butter.\n", encoding="utf-8"
    )
    (extra / "vote.txt").write_text(
        VOTE_EN.replace("\n", "\n\n") + " The opposition voted against it.\n", encoding="utf-8"
    )
    assert digest_main(["bench", "cluster", str(seeds_dir), str(extra)]) == 0
    report = json.loads(capsys.readouterr().out)
    members = [m for s in report["stories"] for m in s["members"]]
    assert len(members) == len(set(members)) == 7
    assert sorted(len(s["members"]) for s in report["stories"]) == [1, 1, 5]
    assert report["seconds"] >= 0


def test_fit_signed_drops_a_weight_of_the_wrong_sign_and_keeps_the_right_ones():
    from digest.benchmarks.calibrate_events import fit_signed

    rng = np.random.default_rng(5)
    x = rng.integers(0, 2, size=(3000, 3)).astype(float)
    x[:, 2] = x[:, 1]  # a copy of a contradiction column: alone it would take a positive weight
    offset = rng.normal(size=3000)
    p = 1 / (1 + np.exp(-(offset + x[:, 0] * 2.0 - x[:, 1] * 1.5)))
    target = (rng.random(3000) < p).astype(float)
    weights = fit_signed(x, offset, target, np.array([1.0, -1.0, -1.0]), l2=0.1)
    assert weights[0] > 1.5 and weights[1] <= 0 and weights[2] <= 0
    assert weights[1] + weights[2] == pytest.approx(-1.5, abs=0.3)


def test_calibrate_events_fits_offsets_and_a_threshold_on_a_batch_with_gold(tmp_path):
    from digest.benchmarks.calibrate_events import calibrate_events
    from digest.dedup.calibration import CALIBRATION
    from digest.dedup.similarity import EVENT_FEATURES
    from digest.encoders.embed import load_encoder

    folder = tmp_path / "articles"
    folder.mkdir()
    texts = {
        "a1.json": (
            "Quake hits Aceh",
            "A 6.1-magnitude quake struck Aceh on July 2, 2013, killing 22 people.",
        ),
        "a2.json": (
            "Aceh quake kills 22",
            "The 6.1-magnitude earthquake in Aceh on July 2, 2013 killed 22 people.",
        ),
        "b1.json": (
            "Quake hits Aceh",
            "A 7.2-magnitude quake struck Aceh on January 11, 2012, killing 3 people.",
        ),
        "c1.json": ("Bakery wins prize", "A bakery in Leeds won the national bread award for its rye loaf."),
    }
    for name, (title, text) in texts.items():
        (folder / name).write_text(json.dumps({"title": title, "text": text}), encoding="utf-8")
    gold = tmp_path / "gold.csv"
    gold.write_text("file,story_id,language\na1.json,a,en\na2.json,a,en\nb1.json,b,en\nc1.json,c,en\n")
    fitted = calibrate_events(load_encoder(None), {**CALIBRATION, "events": {}}, folder, gold)
    assert set(fitted["events"]) == set(EVENT_FEATURES)
    assert all(w <= 0 for name, w in fitted["events"].items() if name.startswith("conflict_"))
    assert all(w >= 0 for name, w in fitted["events"].items() if name.startswith("agree_"))
    assert 0.3 <= fitted["threshold"] <= 0.9
    assert fitted["events_fitted_on"].endswith(f"articles in {tmp_path.name}")
