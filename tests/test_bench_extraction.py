"""`digest bench extraction` on pages written here, through the CLI, and the
benchmark's shingle metric on hand-counted texts."""

from __future__ import annotations

import gzip
import json

import pytest

from digest.cli import main
from digest.evaluation.extraction import scores, shingle_counts

BODY = (
    "The harbour board met on Monday to discuss the new ferry timetable for the winter months. "
    "Members agreed on four crossings a day, with an extra boat at weekends when demand is high."
)
PAGE = f"""<html><head><title>Harbour board agrees winter timetable</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour board agrees winter timetable</h1><p>{BODY}</p>
<p>Like this story? Share it with a friend!</p></article>
<footer>Copyright 2026 The Harbour Gazette. All rights reserved.</footer></body></html>"""


def test_shingle_counts_by_hand():
    # 6 tokens -> 3 shingles of 4; the prediction has the first 5 tokens -> 2 shingles, both right.
    tp, fp, fn = shingle_counts("a b c d e f", "a b c d e")
    assert (tp, fp, fn) == pytest.approx((2 / 3, 0.0, 1 / 3))
    assert shingle_counts("a b c d", "") == (0.0, 0.0, 1.0)
    assert scores([(0.5, 0.5, 0.0), (1.0, 0.0, 0.0)]) == {"f1": 0.8571, "precision": 0.75, "recall": 1.0}


def test_bench_extraction_scores_saves_and_names_bad_pages(tmp_path, capsys):
    pages = tmp_path / "pages"
    (pages / "html").mkdir(parents=True)
    (pages / "html" / "good.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (pages / "html" / "broken.html.gz").write_bytes(b"not gzip at all")
    (pages / "html" / "stray.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    truth = {"good": {"articleBody": BODY}, "broken": {"articleBody": BODY}}
    (pages / "ground-truth.json").write_text(json.dumps(truth))
    saved = tmp_path / "out.json"
    assert main(["bench", "extraction", "--pages", str(pages), "--save", str(saved)]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["pages"] == 1 and report["left_out"] == 2
    assert report["digest"] == {"f1": 1.0, "precision": 1.0, "recall": 1.0}
    assert report["trafilatura"]["precision"] < 1.0  # it keeps the share prompt
    assert json.loads(saved.read_text()) == {"good": {"articleBody": BODY}}
    assert "broken.html.gz" in err and "stray" in err


def test_bench_extraction_without_ground_truth_is_one_clear_error(tmp_path, capsys):
    (tmp_path / "html").mkdir()
    assert main(["bench", "extraction", "--pages", str(tmp_path)]) == 2
    assert "ground-truth.json" in capsys.readouterr().err
