"""The abstractive path with tiny randomly initialised models that each test
session builds, saves with save_pretrained and loads back through the real
code (no download, no mock of transformers)."""

from __future__ import annotations

import logging

import pytest

from digest.benchmarks.tiny_models import build
from digest.config import SummariserSettings
from digest.errors import DigestError
from digest.models import Article
from digest.summarise.summariser import load_summariser

SHORT = Article(
    title="Hotline",
    language="en",
    path="short.txt",
    text="Ukraine said 2,000 soldiers called the hotline on Monday. "
    "The army said more calls came in September.",
)
MEDIUM = Article(
    title="Council",
    language="en",
    path="medium.txt",
    text="The city council of Paris voted to ban cars from the river banks. "
    "The ban covers 3 kilometres of road, the council said. "
    "Opponents say traffic has moved to nearby streets.",
)
# Far longer than the tiny models' window: must be cut on purpose, not crash.
LONG = Article(
    title="Market",
    language="en",
    path="long.txt",
    text=" ".join(
        f"Prices on the market rose for the {i}th day in a row, traders said." for i in range(1, 80)
    ),
)


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    return {
        "seq2seq": build("seq2seq", root / "bart"),
        "causal": build("causal", root / "llama"),
        "faithful": build("seq2seq", root / "faithful", force="Ukraine"),
        "inventive": build("seq2seq", root / "inventive", force="Zurich"),
    }


def summariser_for(path, **settings):
    return load_summariser(SummariserSettings(model=str(path), **settings), None)


@pytest.mark.parametrize("kind", ["seq2seq", "causal"])
def test_tiny_models_generate_in_batches_and_never_leak_noise(models, kind, caplog):
    summariser = summariser_for(models[kind], batch_size=2)
    with caplog.at_level(logging.INFO):
        done = summariser.summarise_articles([LONG, SHORT, MEDIUM])
    assert [a.path for a in done] == ["long.txt", "short.txt", "medium.txt"]
    decisions = {d.origin: d for d in summariser.engine.decisions}
    assert set(decisions) == {"long.txt", "short.txt", "medium.txt"}  # every article generated
    extractive = summariser.extractive.summarise([LONG, SHORT, MEDIUM])
    for article, fallback in zip(done, extractive, strict=True):
        decision = decisions[article.path]
        assert article.summary  # noise never reaches the reader, and nobody gets nothing
        if not decision.accepted:
            assert article.summary == fallback
    assert "long.txt" in caplog.text and "kept the first" in caplog.text  # deliberate cut
    assert "faithfulness guard" in caplog.text


def test_a_faithful_generation_is_kept(models):
    summariser = summariser_for(models["faithful"])
    [done] = summariser.summarise_articles([SHORT])
    assert summariser.engine.decisions[-1].accepted
    assert done.summary.startswith("Ukraine Ukraine")  # the model's own words, not the fallback
    assert done.summary.endswith(".")


def test_an_invented_name_is_rejected_for_the_extractive_summary(models, caplog):
    summariser = summariser_for(models["inventive"])
    with caplog.at_level(logging.INFO):
        [done] = summariser.summarise_articles([SHORT])
    decision = summariser.engine.decisions[-1]
    assert not decision.accepted and "Zurich" in decision.reason
    assert done.summary == summariser.extractive.summarise([SHORT])[0]
    assert "Zurich" not in done.summary
    assert "rejected, extractive fallback" in caplog.text


@pytest.mark.parametrize("name", ["no-such-org/no-such-model", "/nowhere/model-folder"])
def test_a_missing_model_is_a_clear_error(name):
    with pytest.raises(DigestError) as caught:
        load_summariser(SummariserSettings(model=name), None)
    message = str(caught.value)
    assert "summariser.model" in message and name in message and "\n" not in message
