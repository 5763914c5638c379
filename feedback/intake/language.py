"""The language of each feedback text, told offline by `lingua` (pure).

`languages_detect(texts)` returns an ISO 639-1 code per text, or "" when the
text is too short to tell (fewer than `MIN_WORDS` words of two letters or
more, or characters of a Chinese, Japanese or Korean text) or the detector is unsure.

The detector knows `LANGUAGES` (the commonest languages of customer feedback)
in its high-accuracy mode. In the low-accuracy mode, short English texts
("Product dissatisfaction") came out as French or Italian in a third of
cases, and an English text taken for another language loses its themes.
Only the first `SAMPLE_CHARS` characters are read: a sentence or two tells
the language, and reading a long complaint whole costs more for the same
answer. The models ship inside the wheel; no network is used. The detector
is built once per process, on first use, with every model loaded (1.4-6.7 s
and ~390 MB on the loaded 2-core box; docs/PERFORMANCE.md).
"""

import re
import threading

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

LANGUAGES = (
    "en",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "nl",
    "sv",
    "da",
    "pl",
    "tr",
    "ru",
    "ar",
    "zh",
    "ja",
    "hi",
)
MIN_WORDS = 3
SAMPLE_CHARS = 200
# How far the best language must lead the next (0..1) before it is said.
MIN_RELATIVE_DISTANCE = 0.1

# A word: two letters or more (numbers and one-letter words do not count:
# "Product dissatisfaction (12)" is two words, and too short to tell).
_WORD = re.compile(r"[^\W\d_]{2,}")
# Chinese, Japanese and Korean write words without spaces between them.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

_lock = threading.Lock()
_detector = None
MEMO_SIZE = 100_000
_memo: dict[str, str] = {}


def detector():
    """The process's detector, built on first use."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                languages = [
                    Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
                    for code in LANGUAGES
                ]
                _detector = (
                    LanguageDetectorBuilder.from_languages(*languages)
                    .with_minimum_relative_distance(MIN_RELATIVE_DISTANCE)
                    # All at once: loaded lazily, the models made the first
                    # few thousand texts four times slower than the rest.
                    .with_preloaded_language_models()
                    .build()
                )
    return _detector


def _code(language) -> str:
    return "" if language is None else language.iso_code_639_1.name.lower()


def _long_enough(text: str) -> bool:
    for count, _ in enumerate(_WORD.finditer(text), start=1):
        if count >= MIN_WORDS:
            return True
    return len(text.strip()) >= 2 * MIN_WORDS and bool(_CJK.search(text))


def languages_detect(texts) -> list[str]:
    """An ISO 639-1 code (or "") for each text, in order. Each distinct sample
    is read once per process (feedback repeats itself, and an import's chunks
    see the same texts again): up to `MEMO_SIZE` answers are kept."""
    samples = [t[:SAMPLE_CHARS] if isinstance(t, str) else "" for t in texts]
    todo = [s for s in dict.fromkeys(samples) if s not in _memo and _long_enough(s)]
    if todo:
        found = detector().detect_languages_in_parallel_of(todo)
        if len(_memo) + len(todo) > MEMO_SIZE:
            _memo.clear()
        _memo.update(zip(todo, map(_code, found), strict=True))
    return [_memo.get(s, "") for s in samples]
