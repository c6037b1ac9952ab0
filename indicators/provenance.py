"""Per-cell provenance for shipped demo data (BRIEF.md §12).

A file may have a ``<name>.provenance.yaml`` beside it: rules, first match wins, that give each cell
its reliability tag (V, V2, D or illustrative), source URL and note, and ``preliminary: true`` for a
figure the producer published as preliminary (Brå's preliminary statistics), which gives the
observation flag ``p``. A file without one is taken as
the producer published it: reliability ``official`` and the source's URL. A demo file whose cell no
rule covers is refused, so a generated number can never slip through unmarked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from indicators.flags import add_letter
from indicators.readers import ReaderError
from indicators.sources import STANDARD_DIMENSIONS
from indicators.yaml_text import load_yaml

if TYPE_CHECKING:   # pandas is imported by annotate only: the microdata load path never needs it
    import pandas as pd

RELIABILITY_TAGS = ("official", "V", "V2", "D", "illustrative")


@dataclass(frozen=True)
class Provenance:
    path: Path
    retrieved: date | None
    rules: tuple[dict, ...]


def provenance_path(data_file: Path) -> Path:
    return data_file.with_name(data_file.name + ".provenance.yaml")


def load_provenance(data_file: Path) -> Provenance | None:
    path = provenance_path(data_file)
    if not path.exists():
        return None
    doc = load_yaml(path.read_text(encoding="utf-8"))
    retrieved = doc.get("retrieved")
    for rule in doc.get("cells", ()):
        if rule.get("reliability") not in RELIABILITY_TAGS:
            raise ValueError(f"{path.name}: reliability {rule.get('reliability')!r} is not one of {RELIABILITY_TAGS}")
    return Provenance(path=path, retrieved=date.fromisoformat(str(retrieved)) if retrieved else None,
                      rules=tuple(doc.get("cells", ())))


def annotate(frame: pd.DataFrame, provenance: Provenance | None, *, source_url: str, file: str) -> pd.DataFrame:
    """Add reliability, source_url, illustrative and note to every observation."""
    import pandas as pd

    out = frame.copy()
    if provenance is None:
        out["reliability"], out["source_url"], out["illustrative"], out["note"] = "official", source_url, False, None
        return out
    annotations = []
    for record in out.to_dict("records"):
        rule = next((r for r in provenance.rules
                     if all(str(record.get(k)) == str(v) for k, v in (r.get("match") or {}).items())), None)
        if rule is None:
            keys = ", ".join(f"{k}={record[k]}" for k in ("year", *STANDARD_DIMENSIONS)
                             if k == "year" or record[k] != STANDARD_DIMENSIONS[k])
            raise ReaderError("ingest.provenance_uncovered", file=file, location=record["location"],
                              found=keys, expected=provenance.path.name)
        if rule.get("preliminary") not in (None, True, False):
            raise ValueError(f"{provenance.path.name}: preliminary must be true or false, not {rule['preliminary']!r}")
        tag = rule["reliability"]
        annotations.append((tag, rule.get("source_url") or (None if tag == "illustrative" else source_url),
                            tag == "illustrative", rule.get("note"), bool(rule.get("preliminary"))))
    reliability, urls, flagged, notes, preliminary = map(list, zip(*annotations, strict=True))
    out["reliability"], out["source_url"], out["illustrative"], out["note"] = reliability, urls, flagged, notes
    if "flag" in out and any(preliminary):
        out["flag"] = [add_letter(f, "p", has_value=pd.notna(v)) if prelim else f
                       for f, v, prelim in zip(out["flag"], out["value"], preliminary, strict=True)]
    return out
