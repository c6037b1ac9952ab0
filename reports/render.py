"""The Jinja2 environment: autoescape everywhere, and a missing variable is an error, not a blank.

``autoescape=True`` rather than ``select_autoescape()``, which does not escape ``*.html.j2``
(PRACTICE.md §4.5). Trusted HTML (chart JSON) is marked with ``Markup`` in Python, never ``|safe``.
"""

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
