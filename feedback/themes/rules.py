"""Keyword rules: which themes a text mentions by keyword phrase.

Matching semantics (decided here, relied on by the service layer):
- Case-insensitive (Unicode case folding) and on whole words only: "app" matches
  "App" and "apps" but never "happy" or "application".
- Each word is stemmed (`text.stem`), so "refund" matches "refunds", "refunded"
  and "refunding", and "charge" matches "charged".
- A phrase of several words matches the same words in the same order with nothing
  between them, each word stemmed: "log in" matches "logging in" and "logged in",
  and "log-in" (punctuation splits words), but not "login" (one word) nor "log
  into". A lead who wants "login" too adds it as its own keyword.
- A keyword with no word characters is ignored. A text may match several themes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from feedback.themes.text import rule_tokens, stem


@dataclass
class Rules:
    """Compiled keyword rules; build with `compile_rules`."""

    # first stem -> [(stems after the first, theme id)]
    index: dict[str, list[tuple[tuple[str, ...], int]]]
    themes: tuple[int, ...]
    # Memo of surface token -> stem, filled while matching (bounded by vocabulary).
    _stems: dict[str, str] = field(default_factory=dict, repr=False)
    # Surface tokens whose stem starts some phrase.
    _hot: set[str] = field(default_factory=set, repr=False)

    def _learn(self, tokens: set[str]) -> None:
        for token in tokens:
            s = stem(token)
            self._stems[token] = s
            if s in self.index:
                self._hot.add(token)


def compile_rules(themes: Mapping[int, Sequence[str]]) -> Rules:
    """Compile keyword phrases per theme into matchable rules.

    Takes {theme id: [keyword phrase, ...]}; returns Rules for `match` and
    `match_many`. Duplicate phrases, blank phrases and phrases without word
    characters are dropped; themes without usable phrases never match.
    """
    index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for theme_id, phrases in themes.items():
        for phrase in phrases:
            stems = tuple(stem(t) for t in rule_tokens(phrase or ""))
            if not stems:
                continue
            entry = (stems[1:], int(theme_id))
            bucket = index.setdefault(stems[0], [])
            if entry not in bucket:
                bucket.append(entry)
    return Rules(index=index, themes=tuple(int(t) for t in themes))


def _match_tokens(rules: Rules, tokens: list[str]) -> list[int]:
    unique = set(tokens)
    unseen = unique.difference(rules._stems)
    if unseen:
        rules._learn(unseen)
    hits = unique & rules._hot
    if not hits:
        return []
    found: set[int] = set()
    need_scan = False
    for token in hits:
        for rest, theme_id in rules.index[rules._stems[token]]:
            if rest:
                need_scan = True
            else:
                found.add(theme_id)
    if need_scan:
        stems = [rules._stems[t] for t in tokens]
        for pos, token in enumerate(tokens):
            if token not in hits:
                continue
            for rest, theme_id in rules.index[stems[pos]]:
                if rest and tuple(stems[pos + 1 : pos + 1 + len(rest)]) == rest:
                    found.add(theme_id)
    return sorted(found)


def match(rules: Rules, text: str) -> list[int]:
    """Theme ids whose keywords occur in `text`, ascending; [] for empty text."""
    return _match_tokens(rules, rule_tokens(text or ""))


def match_many(rules: Rules, texts: Sequence[str]) -> list[list[int]]:
    """`match` for many texts at once (one list of theme ids per text).

    Fast enough for 100,000 texts: per text the work is one regular-expression
    split and set operations, and only texts holding a keyword's first word are
    scanned word by word.
    """
    if not rules.index:
        return [[] for _ in texts]
    return [_match_tokens(rules, rule_tokens(text or "")) for text in texts]
