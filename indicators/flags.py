"""The flag and reliability rule for derived values, shared by the SQL and the few Python steps.

The rule itself lives in ``indicators/sql/flags.sql`` as DuckDB macros (``mvk_flag``,
``mvk_reliability``, ``mvk_urls``) that every staging and indicator query uses, so all indicators
combine their inputs' flags one way. A flag is zero or more GSS letters in the fixed order
``c x z u p r b e`` ("", "x", "pr", "rb"); the few steps that add a letter after the SQL (the
catalogue's own series breaks, the small-base ``u``) go through :func:`add_letter`, which keeps that
order. See docs/flags-and-reliability.md.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from indicators.sources import GSS_FLAGS

FLAGS_SQL = Path(__file__).parent / "sql" / "flags.sql"
MISSING_LETTERS = ("c", "x", "z")        # why a value is absent, strongest first
# Reliability tags from weakest to strongest; a derived value takes the weakest of its inputs.
RELIABILITY_ORDER = ("illustrative", "D", "V2", "V", "official")
FOOTNOTED_RELIABILITY = ("V2", "D")      # shown with a visible marker beside the value on the pages
# The one mark of a value, verdict or measure generated for demonstration where nothing is published
# (BRIEF: never pass a generated number off as official). Pages, print, workbooks and templates all
# show this text; the Jinja environment has it as ``ILLUSTRATIVE_MARKER``.
ILLUSTRATIVE_MARKER = "[ill.]"


def load_flag_macros(conn: duckdb.DuckDBPyConnection) -> None:
    """Define the flag macros on this connection (temporary: nothing is stored in the warehouse)."""
    for statement in conn.extract_statements(FLAGS_SQL.read_text(encoding="utf-8")):
        conn.execute(statement)


def letters(flag: object) -> list[str]:
    """The GSS letters of a flag in the fixed order; anything else (None, NaN, '') gives none."""
    text = flag if isinstance(flag, str) else ""
    return [letter for letter in GSS_FLAGS if letter in text]


def unknown_letters(flag: object) -> list[str]:
    """Characters in a flag that are not GSS letters (a publishing rule refuses them)."""
    text = flag if isinstance(flag, str) else ""
    return sorted(set(text) - set(GSS_FLAGS))


def add_letter(flag: object, letter: str, *, has_value: bool) -> str:
    """``flag`` with ``letter`` added in its place; u, p and e qualify a number, so a missing value
    does not get them (the same rule as ``mvk_flag``)."""
    if letter not in GSS_FLAGS:
        raise ValueError(f"{letter!r} is not a GSS flag letter")
    present = letters(flag)
    if not has_value and letter in ("u", "p", "e"):
        return "".join(present)
    return "".join(f for f in GSS_FLAGS if f in present or f == letter)


def weakest_reliability(tags: list[object]) -> str | None:
    """The weakest reliability tag among ``tags`` (None and unknown ones ignored)."""
    ranks = [RELIABILITY_ORDER.index(t) for t in tags if isinstance(t, str) and t in RELIABILITY_ORDER]
    return RELIABILITY_ORDER[min(ranks)] if ranks else None
