"""Disclosure control of the agencies' key figures, with the relations the register declares.

Key figures are counts an agency reports for one year (``programme.key_figures``); they are not
published statistics, so small counts are hidden before they reach a page or a download. Hiding a
small count alone protects nothing when the figures hang together: with applications = granted +
rejected published as 40 and 37, a hidden "3 rejected" is 40 − 37. The register therefore declares
the relations (``relations`` in ``data/programme/key_figures.yaml``) and this module hands each
additive (``sum``) relation to the suppression engine (``indicators.disclosure.suppress``) as a
table with its total, so that the engine adds the secondary suppressions that make every hidden cell
unrecoverable from everything published.

``order`` relations (assessed need ≥ started ≥ completed) are checked on the data but add no
suppression: an ordering reveals bounds only (a hidden "completed" lies between 0 and "started"),
and interval attacks are out of scope (docs/disclosure.md). Pure functions on pandas frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.disclosure import SuppressionRule, suppress
from indicators.programme.register import KeyFigureRelation

KEY_COLUMNS = ["agency_id", "year", "key_figure_id"]
LOG_COLUMNS = [*KEY_COLUMNS, "relation", "kind", "reason", "protects", "rule"]
NO_RELATION = ""          # the log's relation for a figure in no additive relation


@dataclass(frozen=True)
class ProtectedKeyFigures:
    """The key figures as they may be published, and the log of what was hidden and why (no values)."""

    frame: pd.DataFrame       # the input rows, same order; hidden values NaN with flag "c"
    log: pd.DataFrame         # LOG_COLUMNS: the cell, its relation, kind, reason, protected cell, rule
    violations: pd.DataFrame  # agency_id, year, relation, kind, members: declared relations the data break


def rule_text(rule: SuppressionRule) -> str:
    """The primary rule as the log records it, e.g. ``1-4, zero published``."""
    zero = "zero published" if rule.zero_is_safe else "zero hidden"
    return f"{rule.min_count}-{rule.max_count}, {zero}"


def _sum_table(frame: pd.DataFrame, relation: KeyFigureRelation) -> pd.DataFrame:
    """The relation's cells for every agency and year that reported one of them.

    A member an agency left out becomes an empty (unknown) cell, so that the relation keeps all its
    parts: without it the engine would read "total = the parts that are there".
    """
    members = list(relation.members)
    mine = frame[frame["key_figure_id"].isin(members)]
    periods = mine[["agency_id", "year"]].drop_duplicates()
    grid = periods.merge(pd.DataFrame({"key_figure_id": members}), how="cross")
    table = grid.merge(mine, on=KEY_COLUMNS, how="left")
    table["flag"] = table["flag"].fillna("").astype(object)
    return table


def protect_key_figures(frame: pd.DataFrame, relations: tuple[KeyFigureRelation, ...],
                        rule: SuppressionRule) -> ProtectedKeyFigures:
    """Primary and secondary suppression of ``frame`` (columns agency_id, year, key_figure_id, value, flag,
    and any others, which are kept) under the register's ``relations``.

    Each ``sum`` relation is one table for the engine: the key figure id is its additive dimension
    with the relation's total as total code; agency and year only partition it. The figures in no
    additive relation get primary suppression only. Returns the rows of ``frame`` in their order.
    """
    frame = frame.reset_index(drop=True)
    rule_label = rule_text(rule)
    outputs: list[pd.DataFrame] = []
    logs: list[pd.DataFrame] = []
    covered: set[str] = set()
    for relation in relations:
        if relation.kind != "sum":
            continue
        covered |= set(relation.members)
        table = _sum_table(frame, relation)
        if table.empty:
            continue
        result = suppress(table[[*KEY_COLUMNS, "value", "flag"]], key_columns=KEY_COLUMNS,
                          totals={"key_figure_id": relation.total}, rule=rule)
        outputs.append(result.frame)
        logs.append(result.log.assign(relation=relation.id))
    rest = frame[~frame["key_figure_id"].isin(covered)]
    if not rest.empty:
        result = suppress(rest[[*KEY_COLUMNS, "value", "flag"]], key_columns=KEY_COLUMNS, totals={}, rule=rule)
        outputs.append(result.frame)
        logs.append(result.log.assign(relation=NO_RELATION))

    protected = pd.concat(outputs, ignore_index=True) if outputs else \
        pd.DataFrame(columns=[*KEY_COLUMNS, "value", "flag"])
    decided = protected[[*KEY_COLUMNS, "value", "flag"]].rename(columns={"value": "_value", "flag": "_flag"})
    out = frame.merge(decided, on=KEY_COLUMNS, how="left", validate="one_to_one")
    out["value"] = out["_value"].astype("float64")
    out["flag"] = out["_flag"].fillna("").astype(object)
    out = out.drop(columns=["_value", "_flag"])

    log = pd.concat(logs, ignore_index=True) if logs else pd.DataFrame(columns=LOG_COLUMNS)
    log = log.assign(rule=rule_label)
    # Only cells that exist are logged (the engine never logs an empty cell; keep it that way here).
    log = log.merge(frame[KEY_COLUMNS], on=KEY_COLUMNS, how="inner")[LOG_COLUMNS]
    log = log.sort_values(KEY_COLUMNS, kind="stable").reset_index(drop=True)
    return ProtectedKeyFigures(frame=out, log=log, violations=relation_violations(frame, relations))


def relation_violations(frame: pd.DataFrame, relations: tuple[KeyFigureRelation, ...]) -> pd.DataFrame:
    """The agency-years whose reported figures break a declared relation (all members reported).

    Protection stays safe when a relation does not hold (the engine assumes it does, which can only
    hide more), but the analyst should know that the figures do not add up.
    """
    rows = []
    values = {(r.agency_id, int(r.year), r.key_figure_id): float(r.value)
              for r in frame[KEY_COLUMNS + ["value"]].itertuples(index=False)}
    periods = sorted({(a, y) for a, y, _ in values})
    for relation in relations:
        for agency, year in periods:
            got = [values.get((agency, year, m)) for m in relation.members]
            if any(v is None for v in got):
                continue
            if relation.kind == "sum":
                broken = got[0] != sum(got[1:])
            else:
                broken = any(a < b for a, b in zip(got, got[1:], strict=False))
            if broken:
                rows.append({"agency_id": agency, "year": year, "relation": relation.id, "kind": relation.kind,
                             "members": ",".join(relation.members)})
    return pd.DataFrame(rows, columns=["agency_id", "year", "relation", "kind", "members"])


def suppression_counts(log: pd.DataFrame) -> pd.DataFrame:
    """How many cells each year were hidden, by kind and reason: the log's counts as published."""
    if log.empty:
        return pd.DataFrame(columns=["year", "kind", "reason", "cells"])
    counts = log.groupby(["year", "kind", "reason"], as_index=False).size().rename(columns={"size": "cells"})
    return counts.sort_values(["year", "kind", "reason"]).reset_index(drop=True)
