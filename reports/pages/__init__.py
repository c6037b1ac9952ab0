"""The site's page families, one module each (issue 9 contract, docs/architecture.md "The report site").

Every module in ``PAGE_MODULES`` has

    def render(inputs: SiteInputs, env: jinja2.Environment, lang: str, common: dict) -> dict[str, str]

returning {site-relative path: html} for one language; ``reports.site.render_pages`` calls each
in turn for sv and en. The names are imported late (by ``modules()``) because the page modules
import ``reports.site`` for its helpers. To add a family, add ONE line here.
"""

from __future__ import annotations

import importlib
from types import ModuleType

PAGE_MODULES = [
    "reports.pages.overview",      # index.html: the national follow-up (H8)
    "reports.pages.objectives",    # objectives/1–4.html, objectives/P1–P6.html (H8)
    "reports.pages.indicators",    # indicators/index.html and indicators/<id>.html (H8 list, H9 pages)
    "reports.pages.programme",     # programme.html, measures/, agencies/, collaboration.html (H10)
    "reports.pages.reference",     # sources.html, methods.html, accessibility.html, about.html (H11)
    "reports.pages.search",        # search.html (H11)
    "reports.pages.editions",      # editions.html, changes.html (issue 11: editions, what changed)
]


def modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in PAGE_MODULES]
