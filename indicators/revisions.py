"""What a new file does to the observations already loaded: cell by cell, never by whole years.

The key of an observation is source × year × every dimension code × measure. A file updates exactly
the cells it holds:

* a cell the warehouse does not have is an **addition**;
* a cell whose value, flag, reliability or illustrative mark differs is a **revision** (the new row is
  kept with ``revised = true``, the old and new values go to ``raw.revisions``): a change from
  illustrative to official is a revision like any other, so it is recorded and reported;
* an identical cell changes nothing (the row, and the snapshot it points to, stay as they were);
* a loaded cell the file does not hold is **kept**. It is withdrawn only where the file covers the
  same domain as the loaded data for that year (the same codes on every dimension) *and* the analyst
  asked for it (``--withdraw``). A same-domain file that lacks cells without ``--withdraw`` is refused:
  it looks like a full replacement, and deleting data is the analyst's decision, never a side effect.

Pure functions on pandas frames; ``indicators.warehouse`` writes what the plan says.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.readers import ReaderError
from indicators.sources import STANDARD_DIMENSIONS

KEY = ["year", *STANDARD_DIMENSIONS, "measure"]
COMPARED = ("value", "flag", "reliability", "illustrative")
SHOWN_REVISIONS = 3   # the largest changes a plan names


def key_text(record: dict) -> str:
    """The observation's key without its year, as ``raw.revisions.dimensions`` stores it."""
    parts = [f"{k}={record[k]}" for k in STANDARD_DIMENSIONS if record[k] != STANDARD_DIMENSIONS[k]]
    return "; ".join([*parts, f"measure={record['measure']}"])


@dataclass(frozen=True)
class LoadPlan:
    """The outcome of loading one file on top of ``old`` (nothing written yet)."""

    result: pd.DataFrame        # every observation of the source after the load
    added: pd.DataFrame         # new cells (file rows)
    revised: pd.DataFrame       # changed cells: KEY + old_*/new_* columns + snapshots
    withdrawn: pd.DataFrame     # loaded cells removed on request (old rows)
    unchanged: int
    not_covered: int            # loaded cells of the file's years that it does not hold; they stay
    withdraw_years: tuple[int, ...]

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.revised) + len(self.withdrawn)

    def largest_revisions(self, n: int = SHOWN_REVISIONS) -> list[dict]:
        """The ``n`` revisions with the largest relative change (reliability-only changes last)."""
        if self.revised.empty:
            return []
        frame = self.revised.copy()
        old, new = frame["old_value"].astype("float64"), frame["new_value"].astype("float64")
        size = (new - old).abs() / old.abs().where(old.abs() > 0, 1.0)
        frame["size"] = size.fillna(-1.0)   # a marker that became a number, or a reliability change
        return frame.sort_values(["size", "year"], ascending=[False, True], kind="stable").head(n).to_dict("records")


def _differs(a: pd.Series, b: pd.Series, numeric: bool) -> pd.Series:
    if numeric:
        a, b = a.astype("float64"), b.astype("float64")
        both_missing = a.isna() & b.isna()
        return ~(both_missing | ((a - b).abs() < 1e-9))
    return a.fillna("").astype(str) != b.fillna("").astype(str)


def _same_domain(old_year: pd.DataFrame, new_year: pd.DataFrame) -> bool:
    return all(set(old_year[k].astype(str)) == set(new_year[k].astype(str)) for k in KEY if k != "year")


def plan_load(old: pd.DataFrame, new: pd.DataFrame, *, withdraw: bool, file: str, new_snapshot: str
              ) -> LoadPlan:
    """Merge ``new`` (one validated file, with ``snapshot_sha256``) into ``old`` (the source's rows).

    Raises ReaderError when the file covers the same domain as the loaded data for a year but lacks
    some of its cells and ``withdraw`` is false.
    """
    new = new.copy()
    new["revised"] = False
    if old.empty:
        return LoadPlan(result=new.reset_index(drop=True), added=new, revised=new.iloc[0:0],
                        withdrawn=new.iloc[0:0], unchanged=0, not_covered=0, withdraw_years=())
    years = sorted(int(y) for y in new["year"].unique())
    old_years = old[old["year"].isin(years)]
    merged = old_years.merge(new, on=KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    both = merged[merged["_merge"] == "both"]
    changed_mask = pd.Series(False, index=both.index)
    for column in COMPARED:
        changed_mask |= _differs(both[f"{column}_old"], both[f"{column}_new"], numeric=column == "value")
    changed = both[changed_mask]
    missing = merged[merged["_merge"] == "left_only"]

    withdraw_years: list[int] = []
    refused: list[tuple[int, pd.DataFrame]] = []
    for year in sorted(int(y) for y in missing["year"].unique()):
        if _same_domain(old_years[old_years["year"] == year], new[new["year"] == year]):
            (withdraw_years.append(year) if withdraw else refused.append((year, missing[missing["year"] == year])))
    if refused:
        year, cells = refused[0]
        total = sum(len(c) for _, c in refused)
        first = cells.iloc[0]
        raise ReaderError("revisions.would_withdraw", file=file, location=str(year),
                          found=f"{total} ({key_text(first.to_dict())})", expected="--withdraw")

    withdrawn_keys = missing[missing["year"].isin(withdraw_years)][KEY]
    keyed_old = old.set_index(KEY)
    withdrawn = keyed_old.loc[pd.MultiIndex.from_frame(withdrawn_keys)].reset_index() if not withdrawn_keys.empty \
        else old.iloc[0:0]
    added_keys = merged[merged["_merge"] == "right_only"][KEY]
    keyed_new = new.set_index(KEY)
    added = keyed_new.loc[pd.MultiIndex.from_frame(added_keys)].reset_index() if not added_keys.empty \
        else new.iloc[0:0]
    revised_rows = keyed_new.loc[pd.MultiIndex.from_frame(changed[KEY])].reset_index() if not changed.empty \
        else new.iloc[0:0]
    revised_rows = revised_rows.assign(revised=True)

    # The result: old rows, minus withdrawn and revised ones, plus the revised and added file rows.
    drop = pd.concat([withdrawn_keys, changed[KEY]], ignore_index=True)
    kept = old
    if not drop.empty:
        kept = old.merge(drop.drop_duplicates(), on=KEY, how="left", indicator=True)
        kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    columns = list(old.columns)
    result = pd.concat([kept[columns], revised_rows[columns], added[columns]], ignore_index=True)
    result = result.sort_values(["year", *STANDARD_DIMENSIONS, "measure"], kind="stable").reset_index(drop=True)

    revised = pd.DataFrame({
        **{k: changed[k].to_numpy() for k in KEY},
        "old_value": changed["value_old"].to_numpy(), "new_value": changed["value_new"].to_numpy(),
        "old_flag": changed["flag_old"].to_numpy(), "new_flag": changed["flag_new"].to_numpy(),
        "old_reliability": changed["reliability_old"].to_numpy(),
        "new_reliability": changed["reliability_new"].to_numpy(),
        "old_snapshot": changed["snapshot_sha256_old"].to_numpy(), "new_snapshot": new_snapshot,
        "location": changed["location_new"].to_numpy(),
    })
    not_covered = int(len(missing)) - len(withdrawn)
    return LoadPlan(result=result, added=added, revised=revised, withdrawn=withdrawn,
                    unchanged=int(len(both) - len(changed)), not_covered=not_covered,
                    withdraw_years=tuple(withdraw_years))


def revision_rows(plan: LoadPlan, source_id: str, new_snapshot: str, today) -> pd.DataFrame:
    """``raw.revisions`` rows for a plan: one per revised and per withdrawn cell."""
    revised = plan.revised
    rows = [pd.DataFrame({
        "source_id": source_id, "year": revised["year"].astype("int64"),
        "dimensions": [key_text(r) for r in revised.to_dict("records")],
        "old_value": revised["old_value"].astype("float64"), "new_value": revised["new_value"].astype("float64"),
        "old_flag": revised["old_flag"], "new_flag": revised["new_flag"],
        "old_reliability": revised["old_reliability"], "new_reliability": revised["new_reliability"],
        "kind": "revised", "old_snapshot": revised["old_snapshot"], "new_snapshot": new_snapshot,
        "revised_on": today,
    })] if not revised.empty else []
    withdrawn = plan.withdrawn
    if not withdrawn.empty:
        rows.append(pd.DataFrame({
            "source_id": source_id, "year": withdrawn["year"].astype("int64"),
            "dimensions": [key_text(r) for r in withdrawn.to_dict("records")],
            "old_value": withdrawn["value"].astype("float64"), "new_value": float("nan"),
            "old_flag": withdrawn["flag"], "new_flag": None,
            "old_reliability": withdrawn["reliability"], "new_reliability": None,
            "kind": "withdrawn", "old_snapshot": withdrawn["snapshot_sha256"], "new_snapshot": new_snapshot,
            "revised_on": today,
        }))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _number(value: object, lang: str) -> str:
    from indicators.formatting import format_number  # display helper; imported late to keep this module light

    if value is None or pd.isna(value):
        return "–"
    return format_number(float(value), 0 if float(value).is_integer() else 1, lang)


def describe_plan(plan: LoadPlan, file: str, lang: str) -> str:
    """The plan as the analyst reads it: cells added, revised (the largest changes), withdrawn,
    unchanged, and loaded cells the file does not cover (kept)."""
    from indicators.i18n import t

    lines = [t("revisions.plan", lang, file=file, added=len(plan.added), revised=len(plan.revised),
               withdrawn=len(plan.withdrawn), unchanged=plan.unchanged)]
    for item in plan.largest_revisions():
        change = f"{_number(item['old_value'], lang)} → {_number(item['new_value'], lang)}"
        if str(item.get("old_reliability")) != str(item.get("new_reliability")):
            change += f" ({item['old_reliability']} → {item['new_reliability']})"
        lines.append(t("revisions.plan_revision", lang, year=int(item["year"]), cell=key_text(item), change=change))
    if plan.not_covered:
        lines.append(t("revisions.plan_not_covered", lang, n=plan.not_covered))
    if plan.withdraw_years:
        lines.append(t("revisions.plan_withdraw_years", lang, years=", ".join(map(str, plan.withdraw_years))))
    return "\n".join(lines)
