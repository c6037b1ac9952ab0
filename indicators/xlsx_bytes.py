"""XLSX bytes that depend only on the workbook's content, so rebuilds are byte-identical.

openpyxl stamps the current time in three places: ``save_workbook`` sets the document's "modified"
date, ``ZipFile.writestr`` dates entries written by name, and worksheets are streamed through
``ZipFile.open``, which dates them with the clock whatever else is done. So the workbook is written
once with ``ExcelWriter`` (which leaves the document dates alone) and the archive is then rewritten
entry by entry with one fixed timestamp. Used by the report workbook, the agency templates, the demo
data generators and the test fixtures: the one copy (``indicators/programme/template.py`` had a second
one, issue 9). In ``indicators/``, beside the templates that use it, because ``reports/`` depends on
``indicators/`` and never the reverse.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter


def workbook_to_bytes(workbook: Workbook, moment: datetime, *, mode: int = 0o644, set_dates: bool = True) -> bytes:
    """The workbook as XLSX bytes with ``moment`` as every entry's time and, unless ``set_dates`` is
    False (a filled-in template keeps the template's created date), as its created/modified date."""
    if set_dates:
        workbook.properties.created = moment
        workbook.properties.modified = moment
    first = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(first, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    out = io.BytesIO()
    stamp = moment.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(first.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = mode << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
