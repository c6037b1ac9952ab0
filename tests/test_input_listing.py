"""What counts as a build's input: the site manifest's list and the no-op fingerprint agree, and neither
depends on Python's bytecode cache or on a hidden partial copy left in the data folder.

Found by comparing a fresh clone's site with one built after the tests had run in the same clone: the
manifest listed ``programme/__pycache__/generate_register.cpython-311.pyc`` as an input of the follow-up.
"""

from __future__ import annotations

from pathlib import Path

from pipelines import fingerprint
from pipelines.defs.reports import input_files
from pipelines.settings import FollowupPaths


def _data_folder(root: Path) -> Path:
    data = root / "data"
    (data / "sources" / "bra").mkdir(parents=True)
    (data / "sources" / "bra" / "offences.csv").write_text("year;value\n2024;1\n", encoding="utf-8")
    (data / "sources" / "bra" / "offences.csv.provenance.yaml").write_text("source: bra\n", encoding="utf-8")
    (data / "programme").mkdir()
    (data / "programme" / "generate_register.py").write_text("print('register')\n", encoding="utf-8")
    (data / "programme" / "measures.yaml").write_text("measures: []\n", encoding="utf-8")
    return data


def _litter(data: Path) -> None:
    """What a test run or a killed copy leaves in a data folder without changing what it holds."""
    cache = data / "programme" / "__pycache__"
    cache.mkdir()
    (cache / "generate_register.cpython-311.pyc").write_bytes(b"\x00bytecode")
    (data / "sources" / "bra" / ".offences_2025.csv.partial").write_text("year;value\n2025;", encoding="utf-8")


def _listed(data: Path, out: Path) -> list[str]:
    return [f.path for f in input_files(FollowupPaths(data_dir=str(data), out_dir=str(out)))]


def test_manifest_inputs_are_the_data_files_only(tmp_path):
    data = _data_folder(tmp_path)
    before = _listed(data, tmp_path / "out")
    _litter(data)
    after = _listed(data, tmp_path / "out")
    assert after == before == [
        "programme/generate_register.py",
        "programme/measures.yaml",
        "sources/bra/offences.csv",
        "sources/bra/offences.csv.provenance.yaml",
    ]


def test_fingerprint_ignores_bytecode_and_partial_copies_but_not_a_real_change(tmp_path):
    data = _data_folder(tmp_path)
    clean = fingerprint.fingerprint(data)
    _litter(data)
    assert fingerprint.fingerprint(data) == clean
    (data / "sources" / "bra" / "offences.csv").write_text("year;value\n2024;2\n", encoding="utf-8")
    assert fingerprint.fingerprint(data) != clean


def test_manifest_lists_every_part_a_build_reads_and_the_fingerprint_hashes_the_same(tmp_path):
    """Agencies' documents, the analysts' reviews and the edition shape the pages, so the manifest names
    them with their hashes; the generators and the fonts they draw with are not inputs."""
    data = _data_folder(tmp_path)
    (data / "documents" / "bra").mkdir(parents=True)
    (data / "documents" / "bra" / "arsredovisning_2025.pdf").write_bytes(b"%PDF-1.7\n")
    (data / "reviews").mkdir()
    (data / "reviews" / "granskning_2025.xlsx").write_bytes(b"PK\x03\x04")
    (data / "edition.yaml").write_text("edition: '2026'\n", encoding="utf-8")
    (data / "generate_demo_data.py").write_text("print('demo')\n", encoding="utf-8")
    (data / "fonts").mkdir()
    (data / "fonts" / "DejaVuSans.ttf").write_bytes(b"\x00\x01")
    listed = _listed(data, tmp_path / "out")
    assert listed == [p.relative_to(data).as_posix() for p in fingerprint.data_inputs(data)]
    assert {"documents/bra/arsredovisning_2025.pdf", "reviews/granskning_2025.xlsx", "edition.yaml"} <= set(listed)
    assert not {"generate_demo_data.py", "fonts/DejaVuSans.ttf"} & set(listed)
    before = fingerprint.fingerprint(data)
    (data / "documents" / "bra" / "arsredovisning_2025.pdf").write_bytes(b"%PDF-1.7\n%changed\n")
    assert fingerprint.fingerprint(data) != before
