"""Turn a file's bytes into text by looking at the bytes, not at what the file claims.

Swedish statistics arrive in two encodings: UTF-8 (with or without a BOM, from APIs and newer tools)
and Windows-1252/ISO-8859-1 (PX files, Excel "CSV (semikolonavgränsad)"). Declarations cannot be
trusted: PxWebApi's own test file says ``CODEPAGE="iso-8859-1"`` over UTF-8 bytes, and a reader that
believes it prints "utslÃ¤pp". The sniff is safe in one direction: Windows-1252 text with any letter
outside ASCII (å, ä, ö, é, ´) is almost never valid UTF-8, so "valid UTF-8 means UTF-8, otherwise
Windows-1252" picks right on real files. Windows-1252 rather than ISO-8859-1 because it is a superset
for every printable character and is what PX's "ANSI" means.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from indicators.readers.model import ReaderError

_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Decoded:
    """Text plus how it was obtained, for the Table's ``encoding`` and the CSV's ``had_bom``."""

    text: str
    encoding: str
    had_bom: bool


def decode_bytes(data: bytes, *, file: str) -> Decoded:
    """Decode ``data``: BOM first, then strict UTF-8, then Windows-1252.

    Raises ReaderError ``reader.empty_file`` for no bytes and ``reader.undecodable`` for bytes no text
    encoding explains (a NUL byte, an Excel workbook, a byte Windows-1252 leaves undefined).
    """
    if not data.strip():
        raise ReaderError("reader.empty_file", file=file, location="line 1", found=str(len(data)),
                          expected="PX/CSV")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_decode(data, "utf-8-sig", file), "utf-8-sig", True)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated.
        return Decoded(_decode(data, "utf-16", file), "utf-16", True)
    if data.startswith(_ZIP_MAGIC):
        raise ReaderError("reader.undecodable", file=file, location="byte 1",
                          found="PK\\x03\\x04 (zip/xlsx)", expected="UTF-8 / Windows-1252")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _undecodable(data, nul, file)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    return Decoded(_decode(data, "cp1252", file), "cp1252", False)


def _decode(data: bytes, encoding: str, file: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _undecodable(data, exc.start, file) from None


def _undecodable(data: bytes, offset: int, file: str) -> ReaderError:
    """An error that points at the offending byte by line and byte offset, so it can be found."""
    line = data.count(b"\n", 0, offset) + 1
    return ReaderError("reader.undecodable", file=file, location=f"line {line}, byte {offset + 1}",
                       found=f"0x{data[offset]:02X}", expected="UTF-8 / Windows-1252")
