"""How often the evidence finder puts the right page first, on the shipped illustrative agency documents.

    .venv/bin/python benchmarks/evidence_precision.py [--documents data/documents] [--per-measure 5]
                                                      [--repeat 3] [--json out.json]

``data/generate_agency_documents.py`` planted mentions of measures in eight illustrative documents and
wrote what it planted to ``answer_key.yaml`` (file, measure, page, status, kind of mention). This script
reads every document with the extractor the pipeline uses (``indicators.documents.extract``), runs
``find_candidates`` on all pages against the whole register (132 measures), and compares:

* unit: a measure mentioned in a document (one planted (file, measure) pair; a measure may be mentioned
  on two pages of one document, both count as right). The finder ranks a measure's pages across all
  documents; here its candidates in that document are taken in that order;
* **right page first** (precision@1): the finder's best page of that document is a planted page;
* **right page in top 3**: a planted page is among its first three pages of that document;
* **status correct**: the suggested status of the best-ranked planted page equals the planted status
  (a page with several parts of one assignment: any of their statuses), of the units where a planted
  page was found at all;
* **distractor first**: measures whose best candidate is a page the generator wrote to share the
  measure's title words without being about it.

Grouped by kind of mention (measure_id, reference, title) and overall, with the finder's wall time
(median of ``--repeat``; extraction is timed apart, it is not the finder's). Prints a table and JSON.
The key is read here only; the finder never sees it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indicators.documents.extract import extract_document  # noqa: E402
from indicators.evidence.finder import find_candidates  # noqa: E402
from indicators.programme.register import Register, find_agency, load_register  # noqa: E402
from indicators.readers.model import ReaderError  # noqa: E402
from indicators.yaml_text import load_yaml  # noqa: E402

KINDS = ("measure_id", "reference", "title")
SUFFIXES = (".pdf", ".docx")


def agency_of(path: Path, register: Register, document) -> str | None:
    """The pipeline's recognition when it is available, else the agency named in the file name."""
    try:
        from indicators.documents.recognise import recognise
        return recognise(document, register.agencies).agency_id
    except (ImportError, ReaderError):   # absent or unsure: the name is "<agency>_<kind>_<year>.<ext>"
        agency = find_agency(register, path.name.split("_")[0])
        return agency.id if agency else None


def read_pages(folder: Path, register: Register) -> tuple[pd.DataFrame, dict[str, str], float]:
    """(pages frame as the finder takes it, file name → sha256, extraction seconds)."""
    rows, shas = [], {}
    started = time.perf_counter()
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES):
        document = extract_document(path.read_bytes(), file=path.name)
        shas[path.name] = document.sha256
        agency = agency_of(path, register, document)
        rows += [(document.sha256, agency, 2025, page.number, page.text, True) for page in document.pages]
    frame = pd.DataFrame(rows, columns=["document_sha256", "agency_id", "year", "page", "text", "illustrative"])
    return frame, shas, time.perf_counter() - started


def measures_frame(register: Register) -> pd.DataFrame:
    return pd.DataFrame([(m.id, m.title["sv"], getattr(m, "reference", None), list(m.agencies))
                         for _, m in sorted(register.measures.items())],
                        columns=["measure_id", "title_sv", "reference", "agencies"])


def evaluate(candidates: pd.DataFrame, key: dict, shas: dict[str, str]) -> dict:
    """Per kind and overall: units, right page first, in top 3, status correct, distractor first."""
    units: dict[tuple[str, str], dict] = {}
    for row in key.get("mentions") or []:
        unit = units.setdefault((row["file"], row["measure_id"]),
                                {"kind": row["kind"], "pages": {}})
        unit["pages"].setdefault(int(row["page"]), set()).add(row["status"])
    distractor_pages = {(shas.get(d["file"]), int(d["page"]), d.get("shares_words_with"))
                        for d in key.get("distractors") or []}
    ranked = candidates.sort_values(["measure_id", "rank"])
    by_measure = {m: list(zip(g["document_sha256"], g["page"], g["suggested_status"], strict=True))
                  for m, g in ranked.groupby("measure_id")}
    results = {k: {"units": 0, "first": 0, "top3": 0, "found": 0, "status_correct": 0} for k in (*KINDS, "overall")}
    misses = []
    for (file, measure), unit in sorted(units.items()):
        sha = shas.get(file)
        in_document = [(page, status) for s, page, status in by_measure.get(measure, []) if s == sha]
        pages = [page for page, _ in in_document]
        right = next(((page, status) for page, status in in_document if page in unit["pages"]), None)
        outcome = {"units": 1, "first": bool(pages[:1]) and pages[0] in unit["pages"],
                   "top3": any(p in unit["pages"] for p in pages[:3]), "found": right is not None,
                   "status_correct": right is not None and right[1] in unit["pages"][right[0]]}
        for group in (unit["kind"], "overall"):
            for name, value in outcome.items():
                results[group][name] += int(value)
        if not outcome["first"] or not outcome["status_correct"]:
            misses.append({"file": file, "measure_id": measure, "kind": unit["kind"],
                           "planted": {p: sorted(s) for p, s in unit["pages"].items()},
                           "finder": [{"page": p, "status": s} for p, s in in_document[:3]]})
    for r in results.values():
        n = r["units"]
        r["precision_at_1"] = r["first"] / n if n else None
        r["in_top_3"] = r["top3"] / n if n else None
        r["status_accuracy"] = r["status_correct"] / r["found"] if r["found"] else None
    first_rows = ranked[ranked["rank"] == 1]
    distractor_first = sorted(
        m for m, s, p in zip(first_rows["measure_id"], first_rows["document_sha256"], first_rows["page"], strict=True)
        if (s, int(p), m) in distractor_pages)
    return {"groups": results, "distractor_first": distractor_first, "misses": misses}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=Path, default=ROOT / "data" / "documents")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="the data folder with programme/")
    parser.add_argument("--per-measure", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--misses", action="store_true", help="list every unit not found first or with a wrong status")
    args = parser.parse_args(argv)
    key_path = args.documents / "answer_key.yaml"
    if not key_path.is_file():
        report = {"benchmark": "evidence_precision", "skipped": f"no answer key in {args.documents}"}
        print(report["skipped"])
    else:
        register = load_register(args.data)
        pages, shas, extraction = read_pages(args.documents, register)
        measures = measures_frame(register)
        times = []
        for _ in range(max(1, args.repeat)):
            started = time.perf_counter()
            candidates = find_candidates(pages, measures, per_measure=args.per_measure)
            times.append(time.perf_counter() - started)
        key = load_yaml(key_path.read_text(encoding="utf-8"))
        evaluation = evaluate(candidates, key, shas)
        report = {"benchmark": "evidence_precision", "documents": len(shas), "pages": len(pages),
                  "measures": len(measures), "candidates": len(candidates), "per_measure": args.per_measure,
                  "extraction_seconds": round(extraction, 3),
                  "finder_seconds": {"median": statistics.median(times), "min": min(times), "max": max(times),
                                     "all": times},
                  **evaluation}
        print(f"{len(shas)} documents, {len(pages)} pages, {len(measures)} measures; extraction {extraction:.2f} s, "
              f"finder median {statistics.median(times):.3f} s (n={len(times)})")
        print(f"{'kind':>12} {'mentioned':>9} {'p@1':>6} {'top 3':>6} {'status':>7}")
        for name, r in report["groups"].items():
            def pct(value):
                return f"{value:6.0%}" if value is not None else "     –"
            print(f"{name:>12} {r['units']:>9} {pct(r['precision_at_1'])} {pct(r['in_top_3'])} "
                  f"{pct(r['status_accuracy']):>7}")
        print(f"distractor page ranked first: {len(report['distractor_first'])} {report['distractor_first']}")
        if args.misses:
            for miss in report["misses"]:
                print(json.dumps(miss, ensure_ascii=False))
    summary = {k: v for k, v in report.items() if k != "misses"}
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
