"""JSON from SCB's APIs, read into a ``Table``: JSON-stat 2.0, JSON-stat 1.x bundles and PxWeb's plain JSON.

SCB serves the same cube three ways: PxWebApi 2 (statistikdatabasen.scb.se/api/v2) answers in JSON-stat
2.0; API v1 answers ``"format":"json-stat"`` with a JSON-stat 1.x bundle (``{"dataset": {...}}``, no
``version`` or ``class``) and ``"format":"json"`` with PxWeb's own ``columns``/``data`` layout whose
values are strings. ``read_jsonstat`` tells them apart from the content, not from the file name.

Why our own reader. ``pyjstat`` 2.4.0 (PyPI, the Python JSON-stat library) was run in a throwaway
environment with pandas 3.1.1 on the three real SCB files in ``shared/realdata``:

* the JSON-stat 2.0 file (TAB6471, 2,772 values) and the 1.x bundle (Socialstyrelsen deaths, 1,120
  values) come out right: all cells, correct labels, and codes with ``naming="id"`` (this module
  agrees with it code for code and value for value on both);
* the plain JSON file (BefolkningNy) fails with ``AttributeError: 'list' object has no attribute
  'get'``: pyjstat does not know PxWeb's ``columns``/``data`` format at all, and its values are strings;
* ``status`` is dropped: a ``".."`` cell becomes NaN, indistinguishable from an empty one, so the
  reason for a missing value is lost (the project keeps it, BRIEF §9.2/§11);
* it returns codes or labels, never both; ``role.time``, ``note``, ``noteMandatory``, ``extension.px``
  (decimals, tableid), units and elimination do not reach the DataFrame;
* a truncated ``value`` array raises a bare ``IndexError: list index out of range`` (too many values:
  pandas' "Length mismatch"), with no file or position;
* it pulls in ``requests`` for fetching, which a file reader does not need.

The JSON-stat part is small (row-major order over ``id``/``size``), so this module reads all three
formats itself with the standard ``json`` module and returns the shared model, like ``px``.

What it handles. JSON-stat 2.0 (``"class":"dataset"``) and 1.x (``id``/``size``/``role`` under
``dimension``), bare or in a bundle; ``value`` as an array or as a sparse object ``{"17": 5}``;
``status`` as an array, an object or one string for every cell; category ``index`` as an object, an
array, or absent (then ``label`` order); labels (code when absent); ``role.time`` -> ``is_time``;
numbers written as strings and markers written in ``value`` (``".."``). PxWeb plain JSON: every
``"type":"c"`` (content) column becomes a category of one dimension ``ContentsCode`` ("tabellinnehåll")
so the result stays a cube; ``"t"`` is the time dimension; codes get label = code because the format
has no labels; values are parsed with ``numbers.parse_number``.

Choices. A bundle with several datasets is read at its first dataset (or the one named by
``dataset=``), and all names are listed in ``meta["bundle_datasets"]``: SCB bundles hold one dataset,
and refusing would make the common case fail for a rare one. A ``status`` next to a number is kept in
``Cell.symbol`` (e.g. "p" for provisional) with the value, so no flag is lost; a missing value with no
status gets symbol "" (an empty field), as in the other readers. PxWeb JSON rows that the response
omits are not invented: ``meta["missing_cells"]`` says how many combinations have no cell. JSON must
be UTF-8 (RFC 8259; SCB's APIs write UTF-8), so unlike PX and CSV there is no Windows-1252 fallback:
other bytes are an error that points at the first bad byte.

Not handled (refused with a clear error): JSON-stat ``collection`` and ``dimension`` responses (they
carry no values), and PxWeb's JSON metadata responses (``variables`` without ``data``).

``Cell.location``: JSON-stat ``value[17]`` (0-based index into the value array, as the specification
counts); PxWeb JSON ``data[3].values[0]``. ``Table.format`` is ``"jsonstat"`` or ``"pxweb-json"``.

``Table.meta`` (keys as in ``px`` where the meaning is the same): ``title``, ``source``, ``updated``
(also as ``last_updated``), ``notes`` (line endings normalised to "\\n"), ``mandatory_notes``,
``variable_notes`` / ``mandatory_variable_notes`` (dimension notes), ``value_notes`` (category notes),
``decimals`` (``extension.px.decimals``, else ``unit.decimals`` when all contents agree),
``content_units`` / ``content_decimals`` (content label -> unit base / decimals), ``units``,
``table_id``, ``infofile``, ``matrix``, ``contents``, ``language``, ``subject_area``, ``subject_code``,
``official_statistics``, ``stub``, ``heading``, ``contact``, ``elimination`` (dimension ->
``eliminationValueCode``, or "YES" when eliminable without one; a code, where PX gives a label),
``roles``, ``time_variable``, ``contvariable`` (the metric dimension), ``symbols`` (each marker seen
-> itself: JSON-stat has no legend), ``jsonstat_version`` ("2.0" or "1.x"), ``dataset`` and
``bundle_datasets`` (bundles), ``extension`` (the dataset's raw ``extension``), ``had_bom``. PxWeb
JSON: ``title``, ``source``, ``updated``, ``infofile``, ``columns``, ``variable_notes`` (column
comments), ``value_notes`` (``comments``), ``cell_notes`` (row comments: (key codes, text)),
``metadata`` (raw), ``time_variable``, ``contvariable``, ``symbols``, ``missing_cells``, ``had_bom``.
"""

from __future__ import annotations

import codecs
import itertools
import json
import math
from collections.abc import Iterable
from typing import Any

from indicators.readers.model import Category, Cell, Dimension, ReaderError, Table
from indicators.readers.numbers import parse_number
from indicators.readers.px import MARKERS as PX_MARKERS

# Markers accepted where a value is written as a string: the PX/SCB dot markers, "-" and "–" (nothing
# to report), "*", and "x"/"X" (suppressed, Brå and Socialstyrelsen). A JSON-stat ``status`` may be any
# text; it is kept as given.
MARKERS: tuple[str, ...] = (*PX_MARKERS, "–", "x", "X")

CONTENTS_DIMENSION = "ContentsCode"
CONTENTS_LABEL = "tabellinnehåll"

_UNSUPPORTED_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 BOM"),
    (codecs.BOM_UTF32_BE, "UTF-32 BOM"),
    (codecs.BOM_UTF16_LE, "UTF-16 BOM"),
    (codecs.BOM_UTF16_BE, "UTF-16 BOM"),
)
_STRUCTURES = ('"class": "dataset" (JSON-stat 2.0), {"dataset": {…}} (JSON-stat 1.x), '
               '"columns" + "data" (PxWeb JSON)')


def read_jsonstat(data: bytes, *, file: str, dataset: str | None = None) -> Table:
    """Read SCB JSON (JSON-stat 2.0, a JSON-stat 1.x bundle or PxWeb plain JSON) into a Table.

    ``dataset`` picks a dataset of a JSON-stat 1.x bundle by name; by default the first is read.
    Raises ReaderError for an empty file, bytes that are not UTF-8, invalid JSON (with its line and
    column), a structure that is none of the three, a missing or malformed field, ``id`` and ``size``
    of different lengths, a dimension whose category count differs from its size, a value or status
    count that differs from the product of the sizes (a truncated file), a PxWeb row of the wrong
    length or seen twice, and a value that is neither a number nor a marker.
    """
    text, encoding, had_bom = _decode(data, file)
    doc = _parse(text, file)
    top = f"line {text[: len(text) - len(text.lstrip())].count(chr(10)) + 1}"
    if not isinstance(doc, dict):
        raise ReaderError("reader.json.unknown_structure", file=file, location=top, found=_show(doc),
                          expected=_STRUCTURES)
    cls = doc.get("class")
    if cls is not None and cls not in ("dataset", "bundle"):
        raise ReaderError("reader.json.unsupported_class", file=file, location="class", found=_show(cls),
                          expected='"dataset"')
    if dataset is not None and (cls == "dataset" or "version" in doc or "columns" in doc):
        raise ReaderError("reader.json.unknown_dataset", file=file, location=top, found=dataset, expected="-")
    if cls == "dataset" or "version" in doc:
        table = _read_dataset(doc, file)
    elif "columns" in doc and "data" in doc:
        table = _read_pxweb_json(doc, file)
    elif "dimension" in doc and "value" in doc:
        if dataset is not None:
            raise ReaderError("reader.json.unknown_dataset", file=file, location=top, found=dataset,
                              expected="-")
        table = _read_dataset(doc, file)
    else:
        table = _read_bundle(doc, file, dataset, top)
    table.encoding = encoding
    table.meta["had_bom"] = had_bom
    return table


# --------------------------------------------------------------------------------------------------
# Bytes to a JSON document


def _decode(data: bytes, file: str) -> tuple[str, str, bool]:
    """UTF-8 text, with a BOM allowed; anything else points at the first byte that is not UTF-8."""
    if not data.strip():
        raise ReaderError("reader.empty_file", file=file, location="line 1", found=str(len(data)),
                          expected="JSON")
    for bom, name in _UNSUPPORTED_BOMS:
        if data.startswith(bom):
            raise ReaderError("reader.json.not_utf8", file=file, location="byte 1", found=name,
                              expected="UTF-8")
    had_bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8):] if had_bom else data
    if not body.strip():
        raise ReaderError("reader.empty_file", file=file, location="line 1", found=str(len(data)),
                          expected="JSON")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(codecs.BOM_UTF8) if had_bom else 0)
        line = data.count(b"\n", 0, offset) + 1
        raise ReaderError("reader.json.not_utf8", file=file, location=f"line {line}, byte {offset + 1}",
                          found=f"0x{data[offset]:02X}", expected="UTF-8") from None
    return text, ("utf-8-sig" if had_bom else "utf-8"), had_bom


def _parse(text: str, file: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        rest = exc.doc[exc.pos:].split("\n", 1)[0].strip() if exc.pos < len(exc.doc) else ""
        raise ReaderError("reader.json.invalid", file=file, location=f"line {exc.lineno}, column {exc.colno}",
                          found=_shorten(rest) if rest else "EOF", expected=exc.msg) from None


# --------------------------------------------------------------------------------------------------
# JSON-stat


def _read_bundle(doc: dict[str, Any], file: str, wanted: str | None, top: str) -> Table:
    """A JSON-stat 1.x bundle: ``{"<name>": {dataset}, ...}``; the first (or ``wanted``) is read."""
    names = [name for name, value in doc.items() if isinstance(value, dict) and "dimension" in value]
    if not names:
        raise ReaderError("reader.json.unknown_structure", file=file, location=top, found=_show(doc),
                          expected=_STRUCTURES)
    name = names[0] if wanted is None else wanted
    if name not in names:
        raise ReaderError("reader.json.unknown_dataset", file=file, location=top, found=name,
                          expected=", ".join(names))
    table = _read_dataset(doc[name], file)
    table.meta["dataset"] = name
    table.meta["bundle_datasets"] = names
    return table


def _read_dataset(ds: dict[str, Any], file: str) -> Table:
    """One JSON-stat dataset, 2.0 (``id``/``size``/``role`` at the top) or 1.x (under ``dimension``)."""
    dims = _field(ds, "dimension", "dimension", dict, "{…}", file)
    if "id" in ds or "size" in ds:
        prefix, holder = "", ds
    else:
        prefix, holder = "dimension.", dims
    ids = _string_list(_field(holder, "id", prefix + "id", list, '["…", …]', file), prefix + "id", file)
    sizes = _field(holder, "size", prefix + "size", list, "[1, 2, …]", file)
    for i, size in enumerate(sizes):
        if not _is_int(size) or size < 0:
            raise ReaderError("reader.json.bad_field", file=file, location=f"{prefix}size[{i}]",
                              found=_show(size), expected="0, 1, 2, …")
    if not ids:
        raise ReaderError("reader.json.bad_field", file=file, location=prefix + "id", found="[]",
                          expected='["…", …]')
    if len(ids) != len(sizes):
        raise ReaderError("reader.json.size_mismatch", file=file, location=f"{prefix}id / {prefix}size",
                          found=str(len(sizes)), expected=str(len(ids)))
    roles = _roles(ds["role"], "role", file) if "role" in ds else _roles(dims.get("role"), "dimension.role", file)
    time_names = set(roles.get("time", []))
    dimensions = []
    for dim_id, size in zip(ids, sizes, strict=True):
        dim = _field(dims, dim_id, f"dimension.{dim_id}", dict, "{…}", file)
        label = dim.get("label")
        categories = _categories(dim_id, dim, size, file)
        dimensions.append(Dimension(name=dim_id, label=label if isinstance(label, str) and label else dim_id,
                                    categories=categories, is_time=dim_id in time_names))
    count = math.prod(sizes)
    values = _values(ds, count, sizes, file)
    statuses = _statuses(ds.get("status"), count, sizes, file)
    cells: list[Cell] = []
    append = cells.append
    for index, codes in enumerate(itertools.product(*(d.codes() for d in dimensions))):
        location = f"value[{index}]"
        value, symbol = _cell_value(values[index], statuses[index], location, file)
        append(Cell(codes, value, symbol, location))
    meta = _dataset_meta(ds, dims, ids, roles, cells)
    return Table(format="jsonstat", encoding="utf-8", dimensions=tuple(dimensions), cells=cells, meta=meta)


def _categories(dim_id: str, dim: dict[str, Any], size: int, file: str) -> tuple[Category, ...]:
    """The categories in index order: ``index`` as an object (code -> position) or an array of codes;
    without ``index`` the order of ``label`` (the specification allows that for one category)."""
    path = f"dimension.{dim_id}.category"
    category = _field(dim, "category", path, dict, '{"index": …, "label": …}', file)
    labels = category.get("label")
    if labels is not None and not isinstance(labels, dict):
        raise ReaderError("reader.json.bad_field", file=file, location=f"{path}.label", found=_show(labels),
                          expected='{"code": "label", …}')
    index = category.get("index")
    if isinstance(index, list):
        codes = _string_list(index, f"{path}.index", file)
    elif isinstance(index, dict):
        codes = _index_object(index, f"{path}.index", file)
    elif index is None and "index" not in category and labels:
        codes = list(labels)
    elif index is None and "index" not in category:
        raise ReaderError("reader.json.missing_field", file=file, location=f"{path}.index",
                          found=_keys(category), expected='"index": {"code": 0, …} / ["code", …]')
    else:
        raise ReaderError("reader.json.bad_field", file=file, location=f"{path}.index", found=_show(index),
                          expected='{"code": 0, …} / ["code", …]')
    if len(codes) != size:
        raise ReaderError("reader.json.category_count", file=file, location=path, found=str(len(codes)),
                          expected=str(size))
    result = []
    for code in codes:
        label = (labels or {}).get(code, code)
        if not isinstance(label, str):
            raise ReaderError("reader.json.bad_field", file=file, location=f'{path}.label."{code}"',
                              found=_show(label), expected='"…"')
        result.append(Category(code=code, label=label))
    return tuple(result)


def _index_object(index: dict[str, Any], path: str, file: str) -> list[str]:
    """``{"01": 0, "03": 1}`` -> codes by position; positions must be 0..n-1, each once."""
    by_position: dict[int, str] = {}
    for code, position in index.items():
        if not _is_int(position) or not 0 <= position < len(index):
            raise ReaderError("reader.json.bad_field", file=file, location=f'{path}."{code}"',
                              found=_show(position), expected=f"0–{len(index) - 1}")
        if position in by_position:
            raise ReaderError("reader.json.duplicate", file=file, location=f'{path}."{code}"',
                              found=str(position), expected=f'{path}."{by_position[position]}"')
        by_position[position] = code
    return [by_position[i] for i in range(len(index))]


def _values(ds: dict[str, Any], count: int, sizes: list[int], file: str) -> list[Any]:
    """The values as a dense list: an array as is (its length checked), a sparse object expanded."""
    raw = _field(ds, "value", "value", (list, dict), "[…] / {\"0\": …}", file)
    if isinstance(raw, list):
        if len(raw) != count:
            raise ReaderError("reader.json.value_count", file=file, location="value", found=str(len(raw)),
                              expected=_product(count, sizes))
        return raw
    dense: list[Any] = [None] * count
    for key, value in raw.items():
        dense[_position(key, count, "value", file)] = value
    return dense


def _statuses(raw: Any, count: int, sizes: list[int], file: str) -> list[str | None]:
    """``status`` as one marker per cell: from an array, an object (sparse) or one string for all."""
    if raw is None:
        return [None] * count
    if isinstance(raw, str):
        return [raw or None] * count
    if isinstance(raw, list):
        if len(raw) != count:
            raise ReaderError("reader.json.value_count", file=file, location="status", found=str(len(raw)),
                              expected=_product(count, sizes))
        items: Iterable[tuple[int, Any]] = enumerate(raw)
        result: list[str | None] = list(raw)
    elif isinstance(raw, dict):
        result = [None] * count
        items = ((_position(key, count, "status", file), value) for key, value in raw.items())
    else:
        raise ReaderError("reader.json.bad_field", file=file, location="status", found=_show(raw),
                          expected='[…] / {"0": ".."} / ".."')
    for position, value in items:
        if value is not None and not isinstance(value, str):
            raise ReaderError("reader.json.bad_field", file=file, location=f"status[{position}]",
                              found=_show(value), expected='".." / null')
        result[position] = value or None
    return result


def _position(key: str, count: int, field: str, file: str) -> int:
    """A sparse object's key ("17") as an index into the value array."""
    if not (key.isascii() and key.isdigit()) or int(key) >= count:
        raise ReaderError("reader.json.bad_field", file=file, location=f'{field}."{key}"', found=_show(key),
                          expected=f'"0"–"{count - 1}"' if count else "-")
    return int(key)


def _cell_value(raw: Any, status: str | None, location: str, file: str) -> tuple[float | None, str | None]:
    """A JSON value as (value, symbol). Numbers may come as strings ("1 205") and markers in the value
    itself (".."); ``status`` wins as the symbol because it is where JSON-stat puts the reason."""
    if raw is None:
        return None, status if status is not None else ""
    if isinstance(raw, bool):
        raise ReaderError("reader.json.bad_value", file=file, location=location, found=_show(raw),
                          expected=_marker_list())
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise ReaderError("reader.json.bad_value", file=file, location=location, found=_show(raw),
                              expected=_marker_list())
        return float(raw), status
    if isinstance(raw, str):
        value, marker = _string_value(raw, location, file)
        return value, status if status is not None else marker
    raise ReaderError("reader.json.bad_value", file=file, location=location, found=_show(raw),
                      expected=_marker_list())


def _string_value(token: str, location: str, file: str) -> tuple[float | None, str | None]:
    try:
        return parse_number(token, MARKERS)
    except ValueError:
        raise ReaderError("reader.json.bad_value", file=file, location=location, found=_show(token),
                          expected=_marker_list()) from None


def _roles(raw: Any, path: str, file: str) -> dict[str, list[str]]:
    """``{"time": ["Tid"], "metric": ["ContentsCode"]}``; a single name is accepted for a list."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ReaderError("reader.json.bad_field", file=file, location=path, found=_show(raw),
                          expected='{"time": ["…"], "metric": ["…"]}')
    roles: dict[str, list[str]] = {}
    for role, names in raw.items():
        roles[role] = _string_list([names] if isinstance(names, str) else names, f"{path}.{role}", file,
                                   unique=False)
    return roles


# --------------------------------------------------------------------------------------------------
# JSON-stat metadata


def _dataset_meta(ds: dict[str, Any], dims: dict[str, Any], ids: list[str], roles: dict[str, list[str]],
                  cells: list[Cell]) -> dict[str, object]:
    extension = ds.get("extension") if isinstance(ds.get("extension"), dict) else {}
    px = extension.get("px") if isinstance(extension.get("px"), dict) else {}
    notes = _notes(ds.get("note"))
    mandatory = _mandatory(ds.get("noteMandatory", extension.get("noteMandatory")), notes)
    variable_notes: dict[str, list[str]] = {}
    mandatory_variable_notes: dict[str, list[str]] = {}
    value_notes: dict[str, dict[str, list[str]]] = {}
    elimination: dict[str, str] = {}
    content_units: dict[str, str] = {}
    content_decimals: dict[str, int] = {}
    for dim_id in ids:
        dim = dims[dim_id]
        dim_extension = dim.get("extension") if isinstance(dim.get("extension"), dict) else {}
        dim_notes = _notes(dim.get("note"))
        if dim_notes:
            variable_notes[dim_id] = dim_notes
            flagged = _mandatory(dim.get("noteMandatory", dim_extension.get("noteMandatory")), dim_notes)
            if flagged:
                mandatory_variable_notes[dim_id] = flagged
        category = dim["category"]
        if isinstance(category.get("note"), dict):
            per_code = {str(code): _notes(text) for code, text in category["note"].items()}
            value_notes[dim_id] = {code: texts for code, texts in per_code.items() if texts}
        eliminable = dim_extension.get("elimination", dim.get("elimination"))
        total = dim_extension.get("eliminationValueCode", dim.get("eliminationValueCode"))
        if eliminable:
            elimination[dim_id] = str(total) if total not in (None, "") else "YES"
        labels = category.get("label") if isinstance(category.get("label"), dict) else {}
        if isinstance(category.get("unit"), dict):
            for code, unit in category["unit"].items():
                if not isinstance(unit, dict):
                    continue
                label = str(labels.get(code, code))
                if isinstance(unit.get("base"), str):
                    content_units[label] = unit["base"]
                if _is_int(unit.get("decimals")):
                    content_decimals[label] = unit["decimals"]
    decimals = px.get("decimals") if _is_int(px.get("decimals")) else None
    if decimals is None and len(set(content_decimals.values())) == 1:
        decimals = next(iter(content_decimals.values()))
    metric = roles.get("metric", [])
    time = roles.get("time", [])
    updated = _text(ds.get("updated"))
    return {
        "title": _text(ds.get("label")),
        "source": _text(ds.get("source")),
        "updated": updated,
        "last_updated": updated,
        "notes": notes,
        "mandatory_notes": mandatory,
        "variable_notes": variable_notes,
        "mandatory_variable_notes": mandatory_variable_notes,
        "value_notes": value_notes,
        "decimals": decimals,
        "content_units": content_units,
        "content_decimals": content_decimals,
        "units": next(iter(content_units.values())) if len(set(content_units.values())) == 1 else None,
        "table_id": _text(px.get("tableid")),
        "infofile": _text(px.get("infofile")),
        "matrix": _text(px.get("matrix")),
        "contents": _text(px.get("contents")),
        "language": _text(px.get("language")),
        "subject_area": _text(px.get("subject-area")),
        "subject_code": _text(px.get("subject-code")),
        "official_statistics": px.get("official-statistics"),
        "stub": list(px["stub"]) if isinstance(px.get("stub"), list) else None,
        "heading": list(px["heading"]) if isinstance(px.get("heading"), list) else None,
        "contact": _contact(extension.get("contact")),
        "elimination": elimination,
        "roles": roles,
        "time_variable": time[0] if time else None,
        "contvariable": metric[0] if metric else None,
        "symbols": _symbols_seen(cells),
        "jsonstat_version": _text(ds.get("version")) or "1.x",
        "extension": extension,
    }


def _notes(raw: Any) -> list[str]:
    """``note`` as a list of texts; SCB writes "\\r\\n" inside them, normalised to "\\n"."""
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    return [_normalise(item) for item in items if isinstance(item, str)]


def _normalise(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def _mandatory(flags: Any, notes: list[str]) -> list[str]:
    """The notes flagged by ``noteMandatory``: ``{"0": true}`` (SCB) or ``[true, false]``."""
    if isinstance(flags, dict):
        positions = [int(k) for k, v in flags.items() if v is True and str(k).isdigit()]
    elif isinstance(flags, list):
        positions = [i for i, v in enumerate(flags) if v is True]
    else:
        positions = []
    return [notes[i] for i in sorted(positions) if i < len(notes)]


def _contact(raw: Any) -> str | None:
    if isinstance(raw, str):
        return raw
    if not isinstance(raw, list):
        return None
    lines = []
    for entry in raw:
        if isinstance(entry, dict):
            parts = [str(entry[k]) for k in ("name", "organization", "phone", "mail") if entry.get(k)]
            lines.append(", ".join(parts) or str(entry.get("raw", "")))
        elif isinstance(entry, str):
            lines.append(entry)
    return "\n".join(line for line in lines if line) or None


def _symbols_seen(cells: list[Cell]) -> dict[str, str]:
    """Every marker in the cells, mapped to itself (neither format declares what a marker means)."""
    return {symbol: symbol for symbol in dict.fromkeys(c.symbol for c in cells) if symbol}


# --------------------------------------------------------------------------------------------------
# PxWeb plain JSON (API v1 "format":"json")


def _read_pxweb_json(doc: dict[str, Any], file: str) -> Table:
    columns = _field(doc, "columns", "columns", list, '[{"code": …, "text": …, "type": "d"}, …]', file)
    specs: list[tuple[str, str, str]] = []
    first: dict[str, int] = {}
    for i, column in enumerate(columns):
        path = f"columns[{i}]"
        if not isinstance(column, dict):
            raise ReaderError("reader.json.bad_field", file=file, location=path, found=_show(column),
                              expected='{"code": …, "text": …, "type": "d"}')
        code = _field(column, "code", f"{path}.code", str, '"…"', file)
        kind = _field(column, "type", f"{path}.type", str, '"d" / "t" / "c"', file)
        if kind not in ("d", "t", "c"):
            raise ReaderError("reader.json.bad_field", file=file, location=f"{path}.type", found=_show(kind),
                              expected='"d" / "t" / "c"')
        if code in first:
            raise ReaderError("reader.json.duplicate", file=file, location=f"{path}.code", found=code,
                              expected=f"columns[{first[code]}].code")
        first[code] = i
        text = column.get("text")
        specs.append((code, text if isinstance(text, str) and text else code, kind))
    keys = [spec for spec in specs if spec[2] != "c"]
    contents = [spec for spec in specs if spec[2] == "c"]
    if not contents:
        raise ReaderError("reader.json.bad_field", file=file, location="columns",
                          found=", ".join(code for code, _, _ in specs) or "[]", expected='{"type": "c"}')
    # Dimension order follows the columns; all content columns together take the first one's place.
    slots: list[int | None] = []
    key_position = 0
    for _, _, kind in specs:
        if kind != "c":
            slots.append(key_position)
            key_position += 1
        elif None not in slots:
            slots.append(None)
    content_slot = slots.index(None)
    rows = _field(doc, "data", "data", list, '[{"key": […], "values": […]}, …]', file)
    seen: list[dict[str, None]] = [{} for _ in keys]
    first_row: dict[tuple[str, ...], int] = {}
    cells: list[Cell] = []
    cell_notes: list[tuple[tuple[str, ...], str]] = []
    for r, row in enumerate(rows):
        path = f"data[{r}]"
        if not isinstance(row, dict):
            raise ReaderError("reader.json.bad_field", file=file, location=path, found=_show(row),
                              expected='{"key": […], "values": […]}')
        key = tuple(_string_list(_field(row, "key", f"{path}.key", list, '["…", …]', file), f"{path}.key",
                                 file, unique=False))
        values = _field(row, "values", f"{path}.values", list, '["…", …]', file)
        if len(key) != len(keys):
            raise ReaderError("reader.json.row_length", file=file, location=f"{path}.key", found=str(len(key)),
                              expected=str(len(keys)))
        if len(values) != len(contents):
            raise ReaderError("reader.json.row_length", file=file, location=f"{path}.values",
                              found=str(len(values)), expected=str(len(contents)))
        if key in first_row:
            raise ReaderError("reader.json.duplicate", file=file, location=f"{path}.key", found=_show(list(key)),
                              expected=f"data[{first_row[key]}].key")
        first_row[key] = r
        for position, code in enumerate(key):
            seen[position].setdefault(code, None)
        if isinstance(row.get("comment"), str):
            cell_notes.append((key, _normalise(row["comment"])))
        for j, ((content_code, _, _), token) in enumerate(zip(contents, values, strict=True)):
            location = f"{path}.values[{j}]"
            value, symbol = _cell_value(token, None, location, file)
            codes = key[:content_slot] + (content_code,) + key[content_slot:]
            cells.append(Cell(codes, value, symbol, location))
    dimensions: list[Dimension] = []
    for slot in slots:
        if slot is None:
            categories = tuple(Category(code, text) for code, text, _ in contents)
            dimensions.append(Dimension(CONTENTS_DIMENSION, CONTENTS_LABEL, categories))
        else:
            code, text, kind = keys[slot]
            categories = tuple(Category(c, c) for c in seen[slot])
            dimensions.append(Dimension(code, text, categories, is_time=kind == "t"))
    table = Table(format="pxweb-json", encoding="utf-8", dimensions=tuple(dimensions), cells=cells)
    table.meta = _pxweb_meta(doc, specs, cell_notes, cells, table.expected_cell_count())
    return table


def _pxweb_meta(doc: dict[str, Any], specs: list[tuple[str, str, str]],
                cell_notes: list[tuple[tuple[str, ...], str]], cells: list[Cell], expected: int,
                ) -> dict[str, object]:
    metadata = doc.get("metadata") if isinstance(doc.get("metadata"), list) else []
    first = metadata[0] if metadata and isinstance(metadata[0], dict) else {}
    variable_notes: dict[str, list[str]] = {}
    for column in doc["columns"]:
        if isinstance(column.get("comment"), str):
            variable_notes.setdefault(column["code"], []).append(_normalise(column["comment"]))
    value_notes: dict[str, dict[str, list[str]]] = {}
    comments = doc.get("comments") if isinstance(doc.get("comments"), list) else []
    for comment in comments:
        if isinstance(comment, dict) and all(isinstance(comment.get(k), str)
                                             for k in ("variable", "value", "comment")):
            per_value = value_notes.setdefault(comment["variable"], {})
            per_value.setdefault(comment["value"], []).append(_normalise(comment["comment"]))
    time = [code for code, _, kind in specs if kind == "t"]
    updated = _text(first.get("updated"))
    return {
        "title": _text(first.get("label")),
        "source": _text(first.get("source")),
        "updated": updated,
        "last_updated": updated,
        "infofile": _text(first.get("infofile")),
        "notes": [],
        "columns": [list(spec) for spec in specs],
        "variable_notes": variable_notes,
        "value_notes": value_notes,
        "cell_notes": cell_notes,
        "comments": comments,
        "metadata": metadata,
        "time_variable": time[0] if time else None,
        "contvariable": CONTENTS_DIMENSION,
        "symbols": _symbols_seen(cells),
        "missing_cells": expected - len(cells),
    }


# --------------------------------------------------------------------------------------------------
# Small helpers


def _field(holder: dict[str, Any], name: str, path: str, kind: type | tuple[type, ...], expected: str,
           file: str) -> Any:
    """``holder[name]`` if present and of ``kind``; else a ReaderError naming the path."""
    if name not in holder or holder[name] is None:
        raise ReaderError("reader.json.missing_field", file=file, location=path, found=_keys(holder),
                          expected=expected)
    value = holder[name]
    if not isinstance(value, kind):
        raise ReaderError("reader.json.bad_field", file=file, location=path, found=_show(value),
                          expected=expected)
    return value


def _string_list(items: list[Any], path: str, file: str, *, unique: bool = True) -> list[str]:
    """A list of non-empty strings (codes, ids), each once unless ``unique`` is False."""
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item:
            raise ReaderError("reader.json.bad_field", file=file, location=f"{path}[{i}]", found=_show(item),
                              expected='"…"')
        if unique and item in first:
            raise ReaderError("reader.json.duplicate", file=file, location=f"{path}[{i}]", found=item,
                              expected=f"{path}[{first[item]}]")
        first.setdefault(item, i)
    return list(items)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _product(count: int, sizes: list[int]) -> str:
    return f"{count} = " + " × ".join(str(s) for s in sizes)


def _marker_list() -> str:
    return " ".join(f'"{m}"' for m in MARKERS)


def _keys(holder: dict[str, Any]) -> str:
    return _shorten(", ".join(holder)) if holder else "-"


def _show(value: Any) -> str:
    """A JSON value as the file writes it, shortened, for ``found``."""
    if isinstance(value, dict):
        text = "{" + ", ".join(f'"{k}": …' for k in value) + "}"
    elif isinstance(value, list):
        text = json.dumps(value[:4], ensure_ascii=False)[:-1] + (", …]" if len(value) > 4 else "]")
    else:
        text = json.dumps(value, ensure_ascii=False)
    return _shorten(text)


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
