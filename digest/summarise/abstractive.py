"""Abstractive summaries from any Hugging Face model the user has locally.

`[summariser] model` names a local folder or a model id in the local Hugging
Face cache; nothing is ever downloaded. The model's config decides how it is
driven: an encoder-decoder (BART, T5, Pegasus...) through
`AutoModelForSeq2SeqLM`, anything else as a chat/instruct model through
`AutoModelForCausalLM` and the tokenizer's chat template.

Articles are generated in the batches the summariser hands over (sorted by
length, so a batch pads little), under `torch.inference_mode`. An article
longer than the model's window is cut deliberately: its opening is kept (news
puts the essentials first) and the cut is logged. The output is trimmed to
whole sentences within `max_words`, then passed through the faithfulness
guard; an output that fails either test is replaced by the extractive
summary, and the decision is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digest.config import SummariserSettings
from digest.errors import DigestError
from digest.models import Article
from digest.summarise.extractive import ExtractiveSummariser
from digest.summarise.faithfulness import unsupported
from digest.text.sentences import is_complete, split_sentences, word_count

log = logging.getLogger(__name__)

DEFAULT_WINDOW = 512
TOKENS_PER_WORD = 2  # generous: the output is trimmed to max_words afterwards
INSTRUCTION = (
    "Summarise this news article in two or three sentences, at most {words} words, "
    "in the language of the article. State only facts the article gives."
)


@dataclass(frozen=True)
class Decision:
    """What the guard decided for one article (kept for logs and tests)."""

    origin: str
    accepted: bool
    reason: str


class AbstractiveSummariser:
    def __init__(
        self,
        name: str,
        model: Any,  # a transformers model: seq2seq or causal, typed by transformers only loosely
        tokenizer: Any,
        seq2seq: bool,
        window: int,
        settings: SummariserSettings,
        fallback: ExtractiveSummariser,
    ):
        self.name = name
        self.model = model
        self.tokenizer = tokenizer
        self.seq2seq = seq2seq
        self.window = window
        self.settings = settings
        self.fallback = fallback
        self.decisions: list[Decision] = []

    def summarise(self, articles: Sequence[Article]) -> list[str]:
        generated = self.generate(articles)
        results: list[str | None] = []
        for article, text in zip(articles, generated, strict=True):
            summary, decision = self.finish(article, text)
            self.decisions.append(decision)
            log.info(
                "faithfulness guard: %s: %s (%s)",
                article.origin,
                "accepted" if decision.accepted else "rejected, extractive fallback",
                decision.reason,
            )
            results.append(summary)
        rejected = [i for i, s in enumerate(results) if s is None]
        if rejected:
            extractive = self.fallback.summarise([articles[i] for i in rejected])
            for i, text in zip(rejected, extractive, strict=True):
                results[i] = text
        return [r or "" for r in results]

    def finish(self, article: Article, generated: str) -> tuple[str | None, Decision]:
        """The generated text trimmed to whole sentences, or None if it must not be used."""
        summary = trim(generated, article.language, self.settings.sentences, self.settings.max_words)
        if not summary:
            return None, Decision(article.origin, False, "no complete sentence within the budget")
        problems = unsupported(summary, f"{article.title}\n{article.text}", article.language)
        if problems:
            return None, Decision(article.origin, False, "not in the source: " + ", ".join(problems))
        return summary, Decision(article.origin, True, "every figure, name and date is in the source")

    def generate(self, articles: Sequence[Article]) -> list[str]:
        import torch

        prompts = [self.prompt(a) for a in articles]
        # The decoder has a window too: never ask for more positions than it has.
        max_new = min(self.settings.max_words * TOKENS_PER_WORD, self.window - 2)
        with torch.inference_mode():
            if self.seq2seq:
                inputs = self.tokenizer(
                    prompts, return_tensors="pt", padding=True, truncation=True, max_length=self.window
                )
                output = self.model.generate(
                    **inputs, max_new_tokens=max_new, num_beams=1, do_sample=False, no_repeat_ngram_size=3
                )
            else:
                inputs = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
                output = self.model.generate(
                    **inputs,
                    max_new_tokens=max_new,
                    do_sample=False,
                    pad_token_id=self.tokenizer.pad_token_id,
                )
                output = output[:, inputs["input_ids"].shape[1] :]  # only the new tokens
        return [t.strip() for t in self.tokenizer.batch_decode(output, skip_special_tokens=True)]

    def prompt(self, article: Article) -> str:
        """The model's input for one article, cut to fit the window."""
        reserve = 0 if self.seq2seq else self.settings.max_words * TOKENS_PER_WORD + 64
        text = self.fit(article, self.window - reserve)
        if self.seq2seq:
            prefix = task_prefix(self.model.config)
            return f"{prefix}{article.title}\n{text}" if article.title else f"{prefix}{text}"
        instruction = INSTRUCTION.format(words=self.settings.max_words)
        content = f"{instruction}\n\n{article.title}\n\n{text}"
        if getattr(self.tokenizer, "chat_template", None):
            result: str = self.tokenizer.apply_chat_template(
                [{"role": "user", "content": content}], tokenize=False, add_generation_prompt=True
            )
            return result
        return f"{content}\n\nSummary:"

    def fit(self, article: Article, budget: int) -> str:
        """The article's text, cut at a sentence boundary to `budget` tokens."""
        budget = max(16, budget - 32)  # room for title, prefix and special tokens
        ids = self.tokenizer(article.text, add_special_tokens=False, verbose=False)["input_ids"]
        if len(ids) <= budget:
            return article.text
        kept, used = [], 0
        for sentence in split_sentences(article.text, article.language):
            cost = len(self.tokenizer(sentence, add_special_tokens=False)["input_ids"])
            if used + cost > budget:
                break
            kept.append(sentence)
            used += cost
        log.info(
            "%s: %d tokens, more than the %d the model %s reads; kept the first %d sentences",
            article.origin,
            len(ids),
            budget,
            self.name,
            len(kept),
        )
        return " ".join(kept) if kept else self.tokenizer.decode(ids[:budget])


def trim(text: str, language: str, sentences: int, max_words: int) -> str:
    """Whole, complete sentences of `text`, at most `sentences` and `max_words`."""
    kept: list[str] = []
    words = 0
    for sentence in split_sentences(text, language):
        count = word_count(sentence)
        if not is_complete(sentence) or words + count > max_words or len(kept) == sentences:
            break
        kept.append(sentence)
        words += count
    return " ".join(kept)


def task_prefix(config: Any) -> str:
    """T5-style models want a task prefix ("summarize: "); the config says which."""
    params = getattr(config, "task_specific_params", None) or {}
    result: str = (params.get("summarization") or {}).get("prefix", "")
    return result


def model_window(config: Any, tokenizer: Any) -> int:
    """How many tokens the model reads at most."""
    limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(limit, int) and 0 < limit < 1_000_000:
        return limit
    for key in ("max_position_embeddings", "n_positions", "max_seq_len"):
        value = getattr(config, key, None)
        if isinstance(value, int) and value > 0:
            return value
    return DEFAULT_WINDOW


def load_abstractive(settings: SummariserSettings, fallback: ExtractiveSummariser) -> AbstractiveSummariser:
    """Load `settings.model` offline, or fail with a message naming it and the setting."""
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # unannotated in transformers  # our own progress bar is the one that counts

    name = settings.model
    source = str(Path(name).expanduser()) if Path(name).expanduser().is_dir() else name
    try:
        config = AutoConfig.from_pretrained(source, local_files_only=True)
        seq2seq = bool(getattr(config, "is_encoder_decoder", False))
        loader = AutoModelForSeq2SeqLM if seq2seq else AutoModelForCausalLM
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True)
        model = loader.from_pretrained(source, local_files_only=True)
    except (OSError, ValueError, KeyError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DigestError(
            f"summariser.model: cannot load {name!r} offline: it must be a local model folder or "
            f"a model already in the local Hugging Face cache ({first})"
        ) from None
    model.eval()
    if not seq2seq:
        tokenizer.padding_side = "left"  # generation continues from the right end
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
    window = model_window(config, tokenizer)
    log.info(
        "summariser: %s (%s, window %d tokens)",
        name,
        "seq2seq" if seq2seq else "causal, chat template",
        window,
    )
    return AbstractiveSummariser(name, model, tokenizer, seq2seq, window, settings, fallback)
