"""Disclosure control for counts from non-public inputs: primary and secondary cell suppression.

Pure functions on pandas frames (no Dagster, no database); docs/disclosure.md explains the rule.

* **Primary suppression** hides small counts (by default 1–4; 0 is published unless
  ``zero_is_safe=False``).
* **Secondary suppression** hides further cells until no suppressed cell can be computed from the
  published cells through the table's additive relations (``total = sum of the other codes`` for
  every additive dimension and every combination of the other key columns). Recoverability is
  decided exactly, over all relations of a table together: a hidden cell is recoverable iff its unit
  vector lies in the row space of the relation matrix restricted to the hidden cells.
* Cells already hidden in another published table of the same input (``hidden_column`` true) are
  hidden here too and protected like primary cells, so one input has one pattern everywhere.
* **Derived cells inherit suppression** (:func:`inherit_suppression`): a share, a rate, a rolling mean
  or any other value computed from a hidden input cell is hidden too, because it reveals that cell
  (rate × population, mean × 3 − the known years). Cells are matched through their provenance pointers
  (``snapshot:location``), so the rule is the same for every indicator.
* Cells a producer already published (``published_column`` true) are never suppressed; they count
  as known values. Zeros are never hidden as secondary cells either. A small cell that could only be
  protected by hiding a published cell (or a zero) stays hidden and gets a warning entry of kind
  ``unprotectable`` in the log.

Interval (bounds) attacks and differencing between editions are out of scope (docs/disclosure.md).
The log never holds a suppressed value, so it may be published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.i18n import t

SUPPRESSED_FLAG = "c"
LOG_COLUMNS = ("kind", "reason", "protects")
# Letters a hidden cell keeps: r (revised) and b (break) describe the cell and the series, not the
# number; u, p and e qualify a value that is no longer shown (the rule of indicators/sql/flags.sql).
_KEPT_WHEN_HIDDEN = ("r", "b")

# Machine reason keys written to the log → their sv/en messages (indicators/messages/disclosure.yaml).
REASON_MESSAGES = {
    "primary.small_count": "disclosure.reason.primary_small_count",
    "primary.zero": "disclosure.reason.primary_zero",
    "secondary.direct": "disclosure.reason.secondary_direct",
    "secondary.combination": "disclosure.reason.secondary_combination",
    "primary.derived": "disclosure.reason.primary_derived",
    "secondary.derived": "disclosure.reason.secondary_derived",
    "unprotectable.published": "disclosure.reason.unprotectable_published",
    "unprotectable.zero": "disclosure.reason.unprotectable_zero",
}
KIND_MESSAGES = {
    "primary": "disclosure.kind.primary",
    "secondary": "disclosure.kind.secondary",
    "unprotectable": "disclosure.kind.unprotectable",
}

# Numerical zero for the squared null-space share of a hidden cell, null-space components and
# residuals. The relation matrices hold only 0 and ±1 and tables are small, so genuine non-zero
# quantities are many orders of magnitude above it.
_NULL_TOLERANCE = 1e-8


@dataclass(frozen=True)
class SuppressionRule:
    """Primary suppression: hide ``min_count <= value <= max_count``; 0 only if ``zero_is_safe`` is false."""

    min_count: int = 1
    max_count: int = 4
    zero_is_safe: bool = True

    def __post_init__(self) -> None:
        if self.min_count < 0 or self.max_count < self.min_count:
            raise ValueError(f"suppression rule needs 0 <= min_count <= max_count, "
                             f"got {self.min_count}–{self.max_count}")

    def describe(self) -> str:
        """The rule as logged beside each hidden cell (``indicators.suppression_log.rule``)."""
        zero = "0 published" if self.zero_is_safe else "0 hidden"
        return f"count {self.min_count}-{self.max_count} hidden; {zero}; secondary: exact linear algebra"

    def reason(self, value: float) -> str | None:
        """The primary reason key for ``value``, or None when the value may be published."""
        if np.isnan(value):
            return None
        if value == 0:
            return None if self.zero_is_safe else "primary.zero"
        if self.min_count <= value <= self.max_count:
            return "primary.small_count"
        return None


@dataclass(frozen=True)
class SuppressionResult:
    frame: pd.DataFrame  # same rows and index; suppressed cells have value NaN and flag "c"
    log: pd.DataFrame  # key columns + kind, reason, protects; never the suppressed value


@dataclass(frozen=True)
class _Block:
    """One partition of the table (one combination of the non-additive key columns) and its relations."""

    positions: np.ndarray  # row positions in the frame
    matrix: np.ndarray  # relations × cells: +1 for the total, -1 for each part; every row sums to 0


def hidden_flag(flag: object) -> str:
    """The flag of a hidden cell: ``c`` first, then the letters that still apply without a value."""
    text = flag if isinstance(flag, str) else ""
    return SUPPRESSED_FLAG + "".join(letter for letter in _KEPT_WHEN_HIDDEN if letter in text)


def is_suppressed_flag(flag: object) -> bool:
    """A flag holds zero or more GSS letters ("c", "cr", "cb"): hidden cells are those containing c."""
    return isinstance(flag, str) and SUPPRESSED_FLAG in flag


def key_text(key_columns: Sequence[str], key: tuple) -> str:
    """A cell's key as logged: ``year=2020, sex=M`` (the form ``protects`` uses)."""
    return _key_text(key_columns, key)


def _key_text(key_columns: Sequence[str], key: tuple) -> str:
    return ", ".join(f"{column}={value}" for column, value in zip(key_columns, key, strict=True))


def _structure(frame: pd.DataFrame, key_columns: list[str], totals: dict[str, str],
               value_column: str) -> tuple[list[tuple], list[_Block]]:
    """Validate the table and build, per partition, the matrix of its additive relations."""
    missing = [c for c in [*key_columns, value_column] if c not in frame.columns]
    if missing:
        raise ValueError(f"disclosure: columns {missing} are not in the frame")
    unknown_dims = [d for d in totals if d not in key_columns]
    if unknown_dims:
        raise ValueError(f"disclosure: total dimensions {unknown_dims} are not key columns {key_columns}")
    if frame[key_columns].isna().any().any():
        raise ValueError("disclosure: a key column has an empty value")
    keys = list(frame[key_columns].itertuples(index=False, name=None))
    if len(set(keys)) != len(keys):
        raise ValueError(f"disclosure: the key columns {key_columns} do not identify the rows uniquely")

    fixed = [i for i, c in enumerate(key_columns) if c not in totals]
    additive = [(i, str(totals[c])) for i, c in enumerate(key_columns) if c in totals]
    partitions: dict[tuple, list[int]] = {}
    for position, key in enumerate(keys):
        partitions.setdefault(tuple(key[i] for i in fixed), []).append(position)

    blocks = []
    for positions in partitions.values():
        local = {p: j for j, p in enumerate(positions)}
        rows = []
        for dim, total_code in additive:
            groups: dict[tuple, list[int]] = {}
            for p in positions:
                groups.setdefault(keys[p][:dim] + keys[p][dim + 1:], []).append(p)
            for members in groups.values():
                total = [p for p in members if str(keys[p][dim]) == total_code]
                parts = [p for p in members if str(keys[p][dim]) != total_code]
                if len(total) == 1 and parts:
                    row = np.zeros(len(positions))
                    row[local[total[0]]] = 1.0
                    row[[local[p] for p in parts]] = -1.0
                    rows.append(row)
        matrix = np.array(rows) if rows else np.zeros((0, len(positions)))
        blocks.append(_Block(np.array(positions, dtype=int), matrix))
    return keys, blocks


@dataclass(frozen=True)
class _Analysis:
    """What the relations reveal about a set of hidden cells (the columns ``cells`` of the block)."""

    cells: np.ndarray  # local indices of the hidden cells
    recoverable: np.ndarray  # per hidden cell: determined exactly by the known cells
    rows: np.ndarray  # the relations that contain a hidden cell
    sub: np.ndarray  # the relation matrix restricted to those rows and the hidden columns
    pinv: np.ndarray  # its pseudo-inverse


def _analyse(matrix: np.ndarray, unknown: np.ndarray) -> _Analysis:
    """Decide exactly which unknown cells the relations determine.

    The known cells move to the right-hand side; an unknown cell u is determined iff its unit vector
    lies in the row space of the relation matrix restricted to the unknown columns, i.e. iff its
    projection on that row space has length 1 (its projection on the null space is 0). The rank is
    computed as ``numpy.linalg.matrix_rank`` does (same default tolerance) from one SVD.
    """
    cells = np.flatnonzero(unknown)
    rows = np.flatnonzero(np.any(matrix[:, cells] != 0, axis=1)) if cells.size else np.zeros(0, dtype=int)
    sub = matrix[np.ix_(rows, cells)]
    if rows.size == 0:
        return _Analysis(cells, np.zeros(cells.size, dtype=bool), rows, sub, np.zeros((cells.size, 0)))
    u, s, vt = np.linalg.svd(sub, full_matrices=False)
    rank = int(np.count_nonzero(s > s.max() * max(sub.shape) * np.finfo(float).eps))
    row_space = vt[:rank]
    null_share = 1.0 - np.einsum("ij,ij->j", row_space, row_space)  # squared length of the null-space part
    recoverable = null_share < _NULL_TOLERANCE
    pinv = (row_space.T / s[:rank]) @ u[:, :rank].T
    return _Analysis(cells, recoverable, rows, sub, pinv)


def _recoverable(matrix: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """Boolean mask over the block's cells: the unknown cells that the relations determine exactly."""
    analysis = _analyse(matrix, unknown)
    result = np.zeros(unknown.shape[0], dtype=bool)
    result[analysis.cells] = analysis.recoverable
    return result


def _still_recoverable(analysis: _Analysis, matrix: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """For each candidate cell c (columns), which hidden cells (rows) stay recoverable once c is hidden too.

    Hiding c adds the column a_c. If a_c is in the column space of the restricted matrix (A_U x0 = -a_c
    has a solution), the null space gains the vector (x0, 1): a recoverable cell u stays recoverable
    iff x0[u] = 0 (x0[u] is the same for every solution because u is recoverable). Otherwise the null
    space does not change, nothing is protected, and c itself becomes recoverable.
    """
    columns = matrix[:, candidates]
    inside = columns[analysis.rows]
    outside = np.delete(columns, analysis.rows, axis=0)  # relations without a hidden cell: a_c must be 0 there
    x0 = -analysis.pinv @ inside
    in_span = (np.linalg.norm(analysis.sub @ x0 + inside, axis=0) < _NULL_TOLERANCE) & ~np.any(outside != 0, axis=0)
    return analysis.recoverable[:, None] & ((np.abs(x0) < _NULL_TOLERANCE) | ~in_span[None, :])


def _null_basis(matrix: np.ndarray, unknown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The unknown cells and an orthonormal basis (rows) of the null space of the restricted matrix."""
    cells = np.flatnonzero(unknown)
    rows = np.flatnonzero(np.any(matrix[:, cells] != 0, axis=1)) if cells.size else np.zeros(0, dtype=int)
    if rows.size == 0:
        return cells, np.eye(cells.size)
    sub = matrix[np.ix_(rows, cells)]
    _, s, vt = np.linalg.svd(sub, full_matrices=True)
    rank = int(np.count_nonzero(s > s.max() * max(sub.shape) * np.finfo(float).eps))
    return cells, vt[rank:]


def _exposes_on_reveal(cells: np.ndarray, null_space: np.ndarray, cell: int, active: np.ndarray) -> bool:
    """Would publishing the hidden ``cell`` again make an ``active`` hidden cell recoverable?

    The null space after publishing it is {x in the null space : x[cell] = 0}. With the basis N and
    w = N[:, cell], a cell u then stays hidden iff N[:, u] is not parallel to w (zero counts as parallel).
    """
    w = null_space[:, cells == cell][:, 0]
    norms = np.linalg.norm(null_space, axis=0)
    if norms[cells == cell][0] < _NULL_TOLERANCE:
        return False  # the cell is itself recoverable: publishing it changes nothing
    with np.errstate(divide="ignore", invalid="ignore"):
        cos2 = (null_space.T @ w) ** 2 / (norms**2 * (w @ w))
    parallel = (norms < _NULL_TOLERANCE) | (1.0 - cos2 < _NULL_TOLERANCE)
    return bool(np.any(parallel & active[cells] & (cells != cell)))


def recoverable_cells(frame: pd.DataFrame, *, key_columns: list[str], totals: dict[str, str],
                      value_column: str = "value", flag_column: str | None = None) -> list[tuple]:
    """The audit: keys of hidden cells (value NaN) that the published cells and relations determine.

    With ``flag_column``, only cells flagged ``"c"`` are audited (cells missing for other reasons, e.g.
    ``[x]``, still count as unknowns). An empty list means the table passes.
    """
    keys, blocks = _structure(frame, key_columns, totals, value_column)
    hidden = pd.to_numeric(frame[value_column]).astype("float64").isna().to_numpy()
    audited = hidden.copy()
    if flag_column is not None:
        audited &= np.array([is_suppressed_flag(f) for f in frame[flag_column]], dtype=bool)
    found = np.zeros(len(keys), dtype=bool)
    for block in blocks:
        found[block.positions] = _recoverable(block.matrix, hidden[block.positions])
    return [keys[p] for p in np.flatnonzero(found & audited)]


def _published_mask(frame: pd.DataFrame, published_column: str | None) -> np.ndarray:
    """A boolean column of the frame as a mask (missing values false); all false without a column."""
    if published_column is None:
        return np.zeros(len(frame), dtype=bool)
    if published_column not in frame.columns:
        raise ValueError(f"disclosure: published column {published_column!r} is not in the frame")
    return np.array([bool(v) if pd.notna(v) else False for v in frame[published_column]], dtype=bool)


def suppress(frame: pd.DataFrame, *, key_columns: list[str], totals: dict[str, str],
             rule: SuppressionRule = SuppressionRule(), value_column: str = "value",
             flag_column: str = "flag", published_column: str | None = None,
             hidden_column: str | None = None) -> SuppressionResult:
    """Primary and secondary suppression of ``frame`` (see the module docstring and docs/disclosure.md).

    ``totals`` maps each additive key column to its total code, e.g. ``{"sex": "T", "region": "00"}``;
    the other key columns (e.g. ``year``) only partition the table. Cells that are already empty
    count as unknown; they are neither audited nor logged. Cells marked true in ``hidden_column`` (hidden
    in another table of the same input) are hidden and protected like primary cells but not logged: the
    caller logs them with the reason they were hidden for.
    """
    key_columns = list(key_columns)
    keys, blocks = _structure(frame, key_columns, totals, value_column)
    values = pd.to_numeric(frame[value_column]).astype("float64").to_numpy(copy=True)
    published = _published_mask(frame, published_column)
    n = len(keys)
    is_total = np.array([sum(str(key[key_columns.index(d)]) == str(code) for d, code in totals.items())
                         for key in keys], dtype=int)

    suppressed = _published_mask(frame, hidden_column) & ~np.isnan(values) & ~published
    entries: list[tuple[int, str, str, str]] = []  # (position, kind, reason, protects)
    for p in range(n):
        reason = None if published[p] or suppressed[p] else rule.reason(values[p])
        if reason:
            suppressed[p] = True
            entries.append((p, "primary", reason, ""))
    root = {p: p for p in np.flatnonzero(suppressed)}  # the primary cell each suppressed cell protects

    warnings: list[tuple[int, str, str, str]] = []
    secondaries: list[tuple[int, str, str, str]] = []
    for block in blocks:
        _protect_block(block, values, published, suppressed, is_total, root, keys, key_columns,
                       secondaries, warnings)
    entries += secondaries + warnings

    out = frame.copy()
    values[suppressed] = np.nan
    out[value_column] = values
    if flag_column not in out.columns:
        out[flag_column] = ""
    if suppressed.any():
        out.loc[out.index[suppressed], flag_column] = [hidden_flag(f) for f in out.loc[out.index[suppressed],
                                                                                        flag_column]]

    positions = [e[0] for e in entries]
    log = frame.iloc[positions][key_columns].reset_index(drop=True)
    log["kind"] = pd.Series([e[1] for e in entries], dtype=object)
    log["reason"] = pd.Series([e[2] for e in entries], dtype=object)
    log["protects"] = pd.Series([e[3] for e in entries], dtype=object)
    return SuppressionResult(frame=out, log=log)


def _protect_block(block: _Block, values: np.ndarray, published: np.ndarray, suppressed: np.ndarray,
                   is_total: np.ndarray, root: dict[int, int], keys: list[tuple], key_columns: list[str],
                   secondaries: list, warnings: list) -> None:
    """Greedy secondary suppression in one partition until no protectable suppressed cell is recoverable."""
    pos = block.positions
    matrix = block.matrix
    target = suppressed[pos]
    unknown = target | np.isnan(values[pos])
    local_published = published[pos]

    # Zeros are published and never hidden as secondary cells: hiding one beside a small cell only
    # hides a sum that equals the small cell (docs/disclosure.md).
    zero = values[pos] == 0
    # Recoverable even if every other hideable cell were hidden. Recoverability only shrinks as more
    # cells are hidden, so these cells are final: they get a warning and no secondary cells.
    hopeless = _recoverable(matrix, unknown | (~local_published & ~zero))
    only_published = _recoverable(matrix, unknown | ~local_published)
    for j in np.flatnonzero(target & hopeless):
        reason = "unprotectable.published" if only_published[j] else "unprotectable.zero"
        warnings.append((int(pos[j]), "unprotectable", reason, ""))
    active = target & ~hopeless
    chosen_entries: dict[int, tuple[str, str]] = {}  # local index → (reason, protected primary cell)

    while True:
        analysis = _analyse(matrix, unknown)
        exposed = np.zeros(unknown.shape[0], dtype=bool)
        exposed[analysis.cells] = analysis.recoverable
        exposed &= active
        if not exposed.any():
            break
        eligible = ~unknown & ~local_published & ~zero & ~hopeless
        touching = np.any(matrix[np.any(matrix[:, exposed] != 0, axis=1)] != 0, axis=0)
        pool = np.flatnonzero(eligible & touching)
        if pool.size == 0:
            pool = np.flatnonzero(eligible)
        if pool.size == 0:  # cannot happen: hiding every eligible cell protects every non-hopeless cell
            raise RuntimeError("disclosure: no cell left to suppress although a suppressed cell is exposed")

        # stays[i, k]: exposed cell i is still recoverable after hiding candidate pool[k].
        rows = exposed[analysis.cells]
        stays = _still_recoverable(analysis, matrix, pool)[rows]
        exposed_cells = analysis.cells[rows]
        # The cell that leaves the fewest suppressed cells exposed; then parts before totals; then the smallest.
        counts = stays.sum(axis=0)
        best = min(range(pool.size), key=lambda k: (counts[k], is_total[pos[pool[k]]], values[pos[pool[k]]], k))
        chosen = int(pool[best])

        fixed = exposed_cells[~stays[:, best]]
        related = [j for j in exposed_cells if np.any((matrix[:, j] != 0) & (matrix[:, chosen] != 0))]
        focus = int(fixed[0]) if fixed.size else int(related[0]) if related else int(exposed_cells[0])
        direct = any(row[chosen] != 0 and row[focus] != 0 and np.count_nonzero(row[unknown]) == 1
                     for row in matrix)
        primary = root[int(pos[focus])]
        root[int(pos[chosen])] = primary
        chosen_entries[chosen] = ("secondary.direct" if direct else "secondary.combination",
                                  _key_text(key_columns, keys[primary]))
        unknown[chosen] = True
        active[chosen] = True

    # Clean-up: publish again any secondary cell the others make unnecessary, dearest first.
    cells, null_space = _null_basis(matrix, unknown)
    for j in sorted(chosen_entries, key=lambda j: (-is_total[pos[j]], -values[pos[j]], -j)):
        if not _exposes_on_reveal(cells, null_space, j, active):
            unknown[j] = active[j] = False
            del chosen_entries[j]
            cells, null_space = _null_basis(matrix, unknown)
    for j, (reason, protects) in chosen_entries.items():
        secondaries.append((int(pos[j]), "secondary", reason, protects))
        suppressed[pos[j]] = True


def log_messages(log: pd.DataFrame, lang: str = "sv") -> list[str]:
    """One readable line per log entry in ``lang`` (sv or en): the cell, the kind and the reason."""
    key_columns = [c for c in log.columns if c not in LOG_COLUMNS]
    lines = []
    for record in log.to_dict("records"):
        cell = _key_text(key_columns, tuple(record[c] for c in key_columns))
        reason = t(REASON_MESSAGES[record["reason"]], lang, cell=cell, protects=record["protects"])
        lines.append(t("disclosure.message", lang, cell=cell, kind=t(KIND_MESSAGES[record["kind"]], lang),
                       reason=reason))
    return lines


@dataclass(frozen=True)
class Hidden:
    """Why an input cell is hidden: its log entry, to be inherited by every value computed from it."""

    kind: str      # primary | secondary | unprotectable
    reason: str
    protects: str  # the key text of the primary cell it protects ("" for a primary cell)
    warning: str = ""  # an ``unprotectable.*`` reason when the cell stays recoverable (docs/disclosure.md)
    cell: str = ""     # the hidden cell's key text where it was hidden, e.g. "year=2020, sex=M, police_region=OST"


def pointers(provenance: object) -> list[str]:
    """The input cells (``snapshot:location``) a value was computed from, as written in ``provenance``."""
    text = provenance if isinstance(provenance, str) else ""
    return [p.strip() for p in text.split(";") if p.strip()]


def inherit_suppression(frame: pd.DataFrame, hidden: dict[str, Hidden], *, key_columns: list[str],
                        value_column: str = "value", flag_column: str = "flag",
                        provenance_column: str = "provenance",
                        cleared_columns: Sequence[str] = ()) -> SuppressionResult:
    """Hide every row computed from a hidden input cell, whatever the computation.

    A share over a hidden count, a rate whose numerator is hidden, a rolling mean whose window holds a
    hidden year: each reveals the hidden cell from published neighbours (share × denominator, mean × 3
    − the known years), so each is hidden too (flag ``c``). A row that is a copy of one hidden cell
    takes its log entry unchanged; any other row is logged ``primary.derived`` (it is computed from a
    small count) or ``secondary.derived``. ``cleared_columns`` (confidence limits) are emptied with the
    value. A row that is already hidden (a rolling mean over a hidden year) is logged all the same.
    """
    out = frame.copy()
    entries: list[tuple[int, str, str, str]] = []
    hide = np.zeros(len(out), dtype=bool)
    for position, provenance in enumerate(out[provenance_column]):
        found = [hidden[p] for p in pointers(provenance) if p in hidden]
        if not found:
            continue
        hide[position] = True
        if len(found) == 1 and len(pointers(provenance)) == 1:
            entries.append((position, found[0].kind, found[0].reason, found[0].protects))
            if found[0].warning:
                entries.append((position, "unprotectable", found[0].warning, ""))
            continue
        primary = [h for h in found if h.kind != "secondary"]
        kind = "primary" if primary else "secondary"
        # A value computed from a small count names that count; one computed from a secondary cell
        # names the small count the secondary cell protects.
        protects = (primary[0].cell or primary[0].protects) if primary else found[0].protects
        entries.append((position, kind, f"{kind}.derived", protects))
    if hide.any():
        index = out.index[hide]
        out.loc[index, value_column] = np.nan
        for column in cleared_columns:
            out.loc[index, column] = np.nan
        out.loc[index, flag_column] = [hidden_flag(f) for f in out.loc[index, flag_column]]
    log = out.iloc[[e[0] for e in entries]][list(key_columns)].reset_index(drop=True)
    log["kind"] = pd.Series([e[1] for e in entries], dtype=object)
    log["reason"] = pd.Series([e[2] for e in entries], dtype=object)
    log["protects"] = pd.Series([e[3] for e in entries], dtype=object)
    return SuppressionResult(frame=out, log=log)
