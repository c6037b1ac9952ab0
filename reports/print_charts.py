"""The print edition's charts drawn once: plotly's drawing of each chart kept by what it was drawn from.

Why: loading the print page is mostly plotly.js drawing its 32 charts per language (measured here: 2.0 s
to load the Swedish page with them, 0.45 s without its scripts), yet a new source file changes only a
few charts. So each chart plotly draws is kept (``OUT/.print_cache/charts/<key>.json``: the markup it
made inside the chart's ``<div>`` and the width it was drawn at), and the next print page carries the
kept drawing of every chart whose figure, page styles, scripts and browser are unchanged; only the
others are drawn, and plotly.js is not loaded at all when none is left.

The PDF must not depend on which charts came from the cache, so every chart is printed as parsed
markup: once plotly has drawn the live ones, ``SETTLE`` replaces each by its own serialised markup (the
elements plotly made, with its event listeners, become plain ones; Chromium tags the live ones'
transparent drag rectangles as figures of their own otherwise), removes its JSON block and plotly's
text-measuring element, and writes plotly's random ids (``clip<uid>xyplot``, ``trace<uid>``) as the
chart's id and the trace's position. A cold print, a print with every chart kept and one with some kept
give the same bytes (tests/test_print_edition.py), and the page that keys the PDF cache is the one with
every chart live, so a kept PDF is found whatever the chart cache holds.

A kept drawing is used only at the width it was drawn at: ``SETTLE`` reports every chart's container
width, and a chart whose width moved (a template change the key cannot see) is drawn again.
The folder is a cache: deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from markupsafe import Markup

from indicators.atomic import read_kept, write_whole

FOLDER = "charts"

# In the loaded page, after plotly has drawn every live chart ([data-figure]): each live chart's markup
# (its random ids made deterministic) is put back as parsed markup without its JSON block; returns the
# new drawings, plotly's global style sheet and every chart's container width.
SETTLE = r"""() => {
  const drawn = {};
  const deterministic = (html, d) => {
    const uids = [d._fullLayout && d._fullLayout._uid, ...(d._fullData || []).map(trace => trace.uid)];
    uids.forEach((uid, n) => {
      if (uid) html = html.replace(new RegExp('(?<=[A-Za-z-])' + uid + '(?![0-9a-f])', 'g'), d.id + '-' + n);
    });
    return html;
  };
  for (const d of Array.from(document.querySelectorAll('.plot[data-figure]'))) {
    const json = document.getElementById(d.getAttribute('data-figure'));
    d.removeAttribute('data-figure');
    const inner = deterministic(d.innerHTML, d);
    d.outerHTML = d.outerHTML.slice(0, d.outerHTML.indexOf('>') + 1) + inner + '</div>';
    if (json) json.remove();
    drawn[d.id] = inner;
  }
  const tester = document.getElementById('js-plotly-tester');
  if (tester) tester.remove();
  const style = document.getElementById('plotly.js-style-global');
  const widths = {};
  for (const d of Array.from(document.querySelectorAll('.plot.js-plotly-plot'))) {
    widths[d.id] = Math.round(parseFloat(getComputedStyle(d).width) * 100) / 100;
  }
  return {drawn, widths,
          css: style && style.sheet ? Array.from(style.sheet.cssRules).map(rule => rule.cssText).join('\n') : null};
}"""


class ChartDrawings:
    """Kept drawings under ``folder`` (``OUT/.print_cache/charts``), keyed by ``identity`` (the browser
    and the chart scripts: reports.print_cache.PrintCache.identity), the page's styles, the chart's id
    and its figure JSON. Without a folder nothing is kept and every chart is drawn."""

    def __init__(self, folder: Path | None, identity: str, styles: str):
        self.folder = Path(folder) / FOLDER if folder else None
        self.context = hashlib.sha256(f"{identity}\0{styles}".encode()).hexdigest()
        self.wanted: set[str] = set()
        self.drawn = 0          # charts plotly drew in this print (the rest came from the folder)

    def key(self, figure: dict) -> str:
        return hashlib.sha256("\0".join((self.context, figure["id"], str(figure["json"]))).encode()).hexdigest()

    def want(self, figures: list[dict]) -> None:
        """``figures`` are in this print: their drawings survive ``prune``."""
        self.wanted |= {self.key(figure) for figure in figures}

    def kept(self, figures: list[dict]) -> dict[str, tuple[Markup, float]]:
        """The kept drawing and width of each of ``figures`` that has one, by chart id (usable only with
        ``css()``, which the page then needs in place of plotly.js)."""
        found = {}
        for figure in figures:
            chart, entry = figure["id"], self._read(self._path(self.key(figure)))
            if entry is not None:
                found[chart] = (Markup(entry["markup"]), entry["width"])
        return found

    def css(self) -> str | None:
        """plotly's global style sheet, as plotly.js adds it to a page it draws in."""
        path = self._style_path()
        try:
            return path.read_text(encoding="utf-8") if path is not None else None
        except OSError:
            return None

    def keep(self, figures: list[dict], settled: dict) -> None:
        """Keep what ``SETTLE`` returned for the charts plotly drew."""
        by_id = {figure["id"]: figure for figure in figures}
        self.drawn += len(settled["drawn"])
        if self.folder is None or not settled["drawn"]:
            return
        if settled.get("css"):
            write_whole(self._style_path(), settled["css"])
        for chart, markup in settled["drawn"].items():
            if chart in by_id:
                write_whole(self._path(self.key(by_id[chart])),
                       json.dumps({"width": settled["widths"][chart], "markup": markup}, ensure_ascii=False))

    def forget(self, figures: list[dict]) -> None:
        for figure in figures:
            path = self._path(self.key(figure))
            if path is not None:
                path.unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove the drawings of charts this print does not have (and other browsers' style sheets)."""
        if self.folder is None or not self.folder.is_dir():
            return
        keep = {f"{key}.json" for key in self.wanted} | {self._style_path().name}
        for path in self.folder.iterdir():
            if path.name not in keep:
                path.unlink(missing_ok=True)

    def _path(self, key: str) -> Path | None:
        return self.folder / f"{key}.json" if self.folder else None

    def _style_path(self) -> Path | None:
        return self.folder / f"plotly-{self.context[:16]}.css" if self.folder else None

    @staticmethod
    def _read(path: Path | None) -> dict | None:
        entry = read_kept(path)
        return entry if entry is not None and {"width", "markup"} <= set(entry) else None


