"""Language detection with the real bundled fastText model (offline)."""

from __future__ import annotations

import pytest

from digest.clean.language import detect_language, one_line


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The minister said on Tuesday that the new bridge would open next spring.", "en"),
        ("Le ministre a déclaré mardi que le nouveau pont ouvrirait au printemps prochain.", "fr"),
        ("Der Minister sagte am Dienstag, die neue Brücke werde im nächsten Frühjahr eröffnet.", "de"),
        ("El ministro dijo el martes que el nuevo puente se abrirá la próxima primavera.", "es"),
    ],
)
def test_detects_common_news_languages(text, code):
    assert detect_language(text) == code


def test_title_case_headline_with_body_is_english():
    # The library's default cuts input at 80 characters, which made a Title
    # Case headline plus a sentence come out as Swedish.
    text = (
        "Thousands of Russian Soldiers Surrendering via Ukrainian Hotline. "
        "Ukrainian intelligence officials say that thousands of soldiers have called."
    )
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["", "   \n ", "12 345 678", "https://example.com/a/b", "!!! ???"])
def test_undetermined_when_there_is_nothing_to_read(text):
    assert detect_language(text) == "und"


def test_multi_line_text_is_read_as_one_line():
    text = "Premier paragraphe de l'article.\n\nDeuxième paragraphe, avec des détails.\n"
    assert "\n" not in one_line(text)
    assert detect_language(text) == "fr"


def test_long_text_is_trimmed_at_a_word_boundary():
    line = one_line("mot " * 5000)
    assert len(line) <= 2000 and line.endswith("mot")


def test_short_chinese_is_not_taken_for_japanese():
    assert detect_language("\u90e8\u961f\u51c6\u5907\u6d77\u4e0a\u7d27\u6025\u758f\u6563\u3002") == "zh"
    japanese = "\u4eca\u65e5\u306f\u3068\u3066\u3082\u3044\u3044\u5929\u6c17\u3067\u3059\u306d\u3002"
    assert detect_language(japanese) == "ja"
