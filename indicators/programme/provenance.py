"""Whether an agency report is a real report or an illustrative one (BRIEF.md §12).

A submission may have a ``<file>.provenance.yaml`` beside it, as statistics files do
(``indicators/provenance.py``), with one reliability tag for the whole report::

    data_file: polisen_2025.xlsx
    reliability: illustrative          # official | V | V2 | D | illustrative
    generated_by: data/generate_programme_submissions.py, seed 20260131
    note: "Illustrativ rapport …"

A report without one is what an agency sent: ``official``. Everything loaded from an illustrative
report (reported statuses, status events, key figures, obstacles) is flagged illustrative in the
warehouse, and so is every status, roll-up and download that rests on it. A sidecar that names
another file or an unknown tag refuses the report: a generated report must never pass as official
because its sidecar was malformed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from indicators.provenance import RELIABILITY_TAGS, provenance_path
from indicators.readers import ReaderError
from indicators.yaml_text import load_yaml

OFFICIAL = "official"
ILLUSTRATIVE = "illustrative"


@dataclass(frozen=True)
class ReportProvenance:
    reliability: str
    note: str | None = None
    sidecar: str | None = None      # the sidecar's file name, None for a report without one

    @property
    def illustrative(self) -> bool:
        return self.reliability == ILLUSTRATIVE


def report_provenance(path: Path) -> ReportProvenance:
    """The reliability of the agency report at ``path``, from its sidecar or ``official`` without one."""
    sidecar = provenance_path(Path(path))
    if not sidecar.is_file():
        return ReportProvenance(reliability=OFFICIAL)
    try:
        doc = load_yaml(sidecar.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ReaderError("programme_trust.provenance_unreadable", file=sidecar.name, location="",
                          found=type(error).__name__, expected="YAML") from None
    if not isinstance(doc, dict):
        raise ReaderError("programme_trust.provenance_unreadable", file=sidecar.name, location="",
                          found=type(doc).__name__, expected="YAML mapping") from None
    named = doc.get("data_file")
    if named is not None and str(named) != Path(path).name:
        raise ReaderError("programme_trust.provenance_other_file", file=sidecar.name, location="data_file",
                          found=str(named), expected=Path(path).name)
    reliability = doc.get("reliability")
    if reliability not in RELIABILITY_TAGS:
        raise ReaderError("programme_trust.provenance_reliability", file=sidecar.name, location="reliability",
                          found=repr(reliability), expected=", ".join(RELIABILITY_TAGS))
    note = doc.get("note")
    return ReportProvenance(reliability=str(reliability), note=str(note) if note else None, sidecar=sidecar.name)
