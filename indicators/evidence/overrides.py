"""The agency and year an analyst gave for a document (``mvk ingest --agency --year``), kept beside it.

A document's agency and year are normally recognised from its text or metadata. When the analyst
names them at ingest, that choice must survive every later run and a rebuild, so it is written to
``<file>.document.yaml`` beside the filed document (and travels with it like ``.provenance.yaml``).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from indicators.readers import ReaderError
from indicators.yaml_text import load_yaml

SUFFIX = ".document.yaml"


def overrides_path(document: Path) -> Path:
    return document.with_name(document.name + SUFFIX)


def read_overrides(document: Path) -> tuple[str | None, int | None]:
    """(agency, year) from the sidecar, or (None, None) without one; a malformed sidecar is refused."""
    path = overrides_path(document)
    if not path.is_file():
        return None, None
    try:
        doc = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ReaderError("evidence_store.overrides_unreadable", file=path.name, location="",
                          found=type(error).__name__, expected="agency, year") from None
    year = doc.get("year")
    if year is not None and not (isinstance(year, int) and 2000 <= year <= 2100):
        raise ReaderError("evidence_store.overrides_unreadable", file=path.name, location="year",
                          found=repr(year), expected="2000–2100")
    agency = doc.get("agency")
    return (str(agency) if agency else None), year


def write_overrides(document: Path, *, agency: str | None, year: int | None) -> Path | None:
    """Write the sidecar when the analyst named an agency or a year; returns its path."""
    if agency is None and year is None:
        return None
    path = overrides_path(document)
    lines = ["# Given with mvk ingest --agency/--year; wins over what the document's text says."]
    if agency is not None:
        lines.append(f"agency: {agency}")
    if year is not None:
        lines.append(f"year: {year}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
