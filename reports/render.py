"""The Jinja2 environment: autoescape everywhere, and a missing variable is an error, not a blank.

``autoescape=True`` rather than ``select_autoescape()``, which does not escape ``*.html.j2``
(PRACTICE.md §4.5). Trusted HTML (chart JSON) is marked with ``Markup`` in Python, never ``|safe``.
"""

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup

from indicators.flags import ILLUSTRATIVE_MARKER


def illustrative_mark(title: str) -> Markup:
    """The ``[ill.]`` beside a value, verdict or measure that rests on generated data, with ``title`` saying
    what is illustrative (escaped). One definition for every template (``{{ ill(title) }}``), so the mark
    cannot drift between pages; the print edition writes the bare marker, as its PDF drops titles."""
    return Markup(' <abbr title="{}">{}</abbr>').format(title, ILLUSTRATIVE_MARKER)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(ILLUSTRATIVE_MARKER=ILLUSTRATIVE_MARKER, ill=illustrative_mark)
    return env


class _KeptCompiled(FileSystemBytecodeCache):
    """Jinja's own cache of compiled templates (keyed on each template's source, so an edited template is
    compiled again), where a folder that cannot be written only means compiling each time."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def compile_all(folder: Path | None = None) -> Environment:
    """The environment with every template compiled, kept in ``folder`` (OUT/.page_cache/templates)
    between runs when given. Called before the render forks its workers, so that each inherits the
    compiled templates: every worker compiled them again for itself, 0.3 s of CPU each, and reading
    them back from the folder takes 0.01 s (issue 13)."""
    env = environment()
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = _KeptCompiled(str(folder))
        except OSError:
            pass
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)
    return env
