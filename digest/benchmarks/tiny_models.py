"""Tiny randomly initialised Hugging Face models, built offline in seconds.

They exercise the abstractive path for real (config, tokenizer, weights
saved with `save_pretrained`, loaded back through `digest.abstractive`,
batched generation) without any download; what they write is noise, which
the faithfulness guard and the sentence trimming must cope with. Used by the
tests and by `digest bench summaries --tiny seq2seq|causal`.

`force` (seq2seq only) makes one word, then a full stop, win generation by
biasing BART's output layer, so a test knows what the model will
say: a word from the article (a faithful summary) or one it never uses (an
invented name).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SPECIALS = ["<pad>", "<s>", "</s>", "<unk>"]
CHAT_TEMPLATE = (
    "{% for message in messages %}<|{{ message['role'] }}|> {{ message['content'] }} "
    "{% endfor %}{% if add_generation_prompt %}<|assistant|> {% endif %}"
)
WORDS = (
    "the a of to in and on for with at by from said says has have had was were is are "
    "will would not more than about after before year years day week month people "
    "government minister president city country police court company market prices "
    "soldiers hotline calls surrender war army officials report news council vote "
    "Ukraine Russia Kyiv Moscow Paris London Zurich Monday Tuesday January September "
    "2,000 300,000 100 10 . , ' \" ? !"
).split()


def build_tokenizer(words: list[str], window: int) -> Any:
    """A word-level tokenizer over `words`, wrapped for transformers."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(dict.fromkeys(SPECIALS + words))}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    return PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]  # unannotated in transformers
        tokenizer_object=core,
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        model_max_length=window,
    )


def build(kind: str, folder: Path, force: str | None = None, window: int = 128) -> Path:
    """Save a tiny `kind` ("seq2seq" or "causal") model and its tokenizer in `folder`."""
    import torch
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # unannotated in transformers
    torch.manual_seed(0)
    # The causal model reads the instruction and the article together: a longer window.
    window = window if kind == "seq2seq" else window * 4
    tokenizer = build_tokenizer(WORDS + ([force] if force else []), window)
    if kind == "seq2seq":
        model = _bart(tokenizer, window)
    elif kind == "causal":
        tokenizer.chat_template = CHAT_TEMPLATE
        model = _llama(tokenizer, window)
    else:
        raise ValueError(f"unknown tiny model kind {kind!r}")
    if force:
        if kind != "seq2seq":
            raise ValueError("force needs the seq2seq model (BART's output layer has a bias)")
        with torch.no_grad():
            model.final_logits_bias[0, tokenizer.convert_tokens_to_ids(force)] = 50.0
            model.final_logits_bias[0, tokenizer.convert_tokens_to_ids(".")] = 49.0
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _bart(tokenizer: Any, window: int) -> Any:
    from transformers import BartConfig, BartForConditionalGeneration

    config = BartConfig(
        vocab_size=len(tokenizer),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=window,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_bos_token_id=None,  # type: ignore[call-arg]  # read by generation, not in the signature
        forced_eos_token_id=None,
    )
    return BartForConditionalGeneration(config).eval()  # type: ignore[no-untyped-call]


def _llama(tokenizer: Any, window: int) -> Any:
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=window,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        tie_word_embeddings=False,
        mlp_bias=False,
    )
    return LlamaForCausalLM(config).eval()  # type: ignore[no-untyped-call]
