"""The frame of the ``mvk`` command line in the user's language: argparse's own words, the language
choice, the overview, the version line and the exit codes.

argparse (kept: it has every feature the command line needs, and Typer/Click would add a second
command-line framework beside Dagster's) writes its frame words ("usage:", "options", "error: the
following arguments are required") through ``gettext``, bound inside the module as ``argparse._``
and ``argparse.ngettext``. There is no .mo catalogue for them here, so ``translated(lang)`` swaps those
two names, for the duration of parsing and printing, for lookups in our own sv/en message catalogue
(indicators/messages/cli_frame.yaml). An argparse text without an entry passes through in English,
and a test fails if any of the words a user sees in the help is left untranslated.
"""

from __future__ import annotations

import argparse
import contextlib
import locale
import os
from collections.abc import Iterator, Sequence

from indicators.i18n import LANGUAGES, t

# Exit codes, documented in the README and kept: scripts rely on them.
EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3

# argparse's message ids (Python 3.11) -> our catalogue keys.
ARGPARSE_TEXTS = {
    "usage: ": "cli.frame.usage",
    "positional arguments": "cli.frame.positional",
    "options": "cli.frame.options",
    "show this help message and exit": "cli.frame.help",
    "show program's version number and exit": "cli.frame.version",
    "the following arguments are required: %s": "cli.frame.required",
    "unrecognized arguments: %s": "cli.frame.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.frame.invalid_choice",
    "argument %(argument_name)s: %(message)s": "cli.frame.argument",
    "expected one argument": "cli.frame.expected_one",
    "expected at least one argument": "cli.frame.expected_at_least_one",
    "expected at most one argument": "cli.frame.expected_at_most_one",
    "invalid %(type)s value: %(value)r": "cli.frame.invalid_value",
    "%(prog)s: error: %(message)s\n": "cli.frame.error",
    "ambiguous option: %(option)s could match %(matches)s": "cli.frame.ambiguous",
    "not allowed with argument %s": "cli.frame.not_allowed",
    "ignored explicit argument %r": "cli.frame.ignored",
    "one of the arguments %s is required": "cli.frame.one_required",
}
ARGPARSE_PLURALS = {("expected %s argument", "expected %s arguments"): "cli.frame.expected_n"}


def detect_language(argv: Sequence[str]) -> str:
    """``--lang en``/``--lang=en`` anywhere on the line, else MVK_LANG, else the locale, else Swedish."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    env = os.environ.get("MVK_LANG", "")
    if env in LANGUAGES:
        return env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "sv"
    with contextlib.suppress(ValueError):
        code = locale.getlocale()[0] or ""
        if code.lower().startswith("en"):
            return "en"
    return "sv"


@contextlib.contextmanager
def translated(lang: str) -> Iterator[None]:
    """argparse speaks ``lang`` inside the block (see the module docstring for why this is a swap)."""
    saved = argparse._, argparse.ngettext

    def gettext(message: str) -> str:
        key = ARGPARSE_TEXTS.get(message)
        return t(key, lang) if key else message

    def ngettext(singular: str, plural: str, n: int) -> str:
        key = ARGPARSE_PLURALS.get((singular, plural))
        if key is None:
            return singular if n == 1 else plural
        return t(key + (".one" if n == 1 else ".other"), lang)

    argparse._, argparse.ngettext = gettext, ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of our descriptions and examples; wider than argparse's default."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32, width=min(100, max(60, _terminal_width())))


def _terminal_width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 100


def version_line(lang: str) -> str:
    """Package version, code version (git), Dagster and DuckDB versions."""
    from importlib.metadata import version

    import duckdb

    from pipelines.versioning import code_version

    return t("cli.version_line", lang, version=version("mvk-uppfoljning"), code=code_version(),
             dagster=version("dagster"), duckdb=duckdb.__version__)
