"""Editions (issue 11): two editions published into one output folder, then read as a reader would.

Edition 2025 is built from an older snapshot of the data: the NTU threats file without its latest
year, without Polisen's report, and with a catalogue that lacks MVK11. Edition 2026 is the shipped
data plus a correction of the lethal-violence file (women killed by a partner, 2024: 11 → 12),
dropped beside the original so that it is loaded on top of it and recorded in raw.revisions.
Two real `mvk run --edition` builds (about a minute each) in one module-scoped fixture.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, run_mvk

pytestmark = pytest.mark.slow

NTU = "bra_ntu_assault_threats"
LETHAL_DIR = "bra_lethal_violence"
CORRECTION = "dodligt_vald_2024_rattelse.csv"
REMOVED_INDICATOR = "MVK11"
DROPPED_REPORT = "polisen_2025.xlsx"


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def older_snapshot(base: Path) -> tuple[Path, Path]:
    """A data folder as it stood a year earlier, and a catalogue copy without MVK11."""
    data = base / "data-2025"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("*.py"))
    ntu = next((data / "sources" / NTU).glob("*.csv"))
    text = ntu.read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    latest = max(int(line.split(";")[0]) for line in lines[1:] if line)
    kept = [lines[0]] + [line for line in lines[1:] if line and not line.startswith(f"{latest};")]
    ntu.write_bytes(("\ufeff" + "\r\n".join(kept) + "\r\n").encode("utf-8"))
    for name in (DROPPED_REPORT, DROPPED_REPORT + ".provenance.yaml"):
        (data / "submissions" / name).unlink()
    catalogue = base / "catalogue-2025"
    shutil.copytree(PROJECT_ROOT / "indicators" / "catalogue", catalogue)
    (catalogue / f"{REMOVED_INDICATOR}.yaml").unlink()
    return data, catalogue


def current_snapshot(base: Path) -> Path:
    """The shipped data plus the producer's correction of one cell."""
    data = base / "data-2026"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("*.py"))
    folder = data / "sources" / LETHAL_DIR
    original = next(folder.glob("*.csv"))
    lines = original.read_bytes().decode("utf-8-sig").split("\r\n")
    fixes = {"2024;Kvinnor;Partner eller tidigare partner;11": "2024;Kvinnor;Partner eller tidigare partner;12",
             # the totals the correction changes with it (the source promises parts that add up)
             "2024;Samtliga;Partner eller tidigare partner;13": "2024;Samtliga;Partner eller tidigare partner;14",
             "2024;Kvinnor;Samtliga;23": "2024;Kvinnor;Samtliga;24",
             "2024;Samtliga;Samtliga;92": "2024;Samtliga;Samtliga;93"}
    rows = [fixes.get(line, line) for line in lines[1:] if line.startswith("2024;")]
    assert len(set(fixes.values()) & set(rows)) == len(fixes)
    fix = folder / CORRECTION
    fix.write_bytes(("\ufeff" + "\r\n".join([lines[0], *rows]) + "\r\n").encode("utf-8"))
    shutil.copy(original.with_name(original.name + ".provenance.yaml"), fix.with_name(fix.name + ".provenance.yaml"))
    return data


def run_with_catalogue(catalogue: Path, *args: str) -> subprocess.CompletedProcess:
    """`mvk` in a fresh process whose indicator catalogue is ``catalogue`` (as a checkout of last year's
    specs would be); everything else is the real command line."""
    code = ("import sys; from pathlib import Path; import indicators.registry as r; "
            "r.CATALOGUE_DIR = Path(sys.argv[1]); r.load_catalogue.cache_clear(); "
            "from pipelines.cli import main; sys.exit(main(sys.argv[2:]))")
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "MVK_DATA_DIR", "MVK_OUT_DIR",
                                                            "MVK_EDITION")}
    return subprocess.run([sys.executable, "-c", code, str(catalogue), *args], capture_output=True, text=True,
                          timeout=900, env=env, cwd=PROJECT_ROOT)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("editions")
    out = base / "out"
    old_data, old_catalogue = older_snapshot(base)
    first = run_with_catalogue(old_catalogue, "run", "--quiet", "--edition", "2025", "--data-dir", str(old_data),
                               "--out", str(out))
    assert first.returncode == 0, first.stdout + first.stderr
    edition_2025 = tree_hashes(out / "editions" / "2025")
    new_data = current_snapshot(base)
    second = run_mvk("run", "--quiet", "--edition", "--data-dir", str(new_data), "--out", str(out), timeout=900)
    assert second.returncode == 0, second.stdout + second.stderr
    return {"out": out, "data": new_data, "edition_2025": edition_2025, "stdout": second.stdout}


def changes(out: Path, edition: str) -> dict:
    return json.loads((out / "editions" / edition / "data" / "changes.json").read_text(encoding="utf-8"))


def test_the_changes_between_the_editions_are_listed(published):
    out = published["out"]
    assert "Utgåva 2026 publicerad" in published["stdout"]
    facts = changes(out, "2026")
    assert facts["previous_edition"] == "2025"
    records = facts["changes"]
    revised = [r for r in records if r["kind"] == "revised" and r["indicator_id"] == "MVK05"
               and r["year"] == 2024 and r["series"] == "statistic=annual"]
    assert [(r["old"], r["new"]) for r in revised] == [("11", "12")]
    assert "r" in revised[0]["flag"] and revised[0]["source_file"] == CORRECTION and revised[0]["revised_on"]
    assert {r["year"] for r in records if r["kind"] == "new_point" and r["indicator_id"] == "MVK03"} == {2023}
    assert [r["indicator_id"] for r in records if r["kind"] == "indicator_added"] == [REMOVED_INDICATOR]
    assert any(r["kind"] == "measure_status" and r["agency_id"] == "polisen" and r["field"] == "reported_status"
               and r["new"] for r in records)
    assert any(r["kind"] == "source_updated" and r["source_id"] == NTU for r in records)
    assert facts["summary"]["revised"] >= 1
    csv_text = (out / "editions" / "2026" / "data" / "changes.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("kind,indicator_id,") and CORRECTION in csv_text

    page = (out / "editions" / "2026" / "changes.html").read_text(encoding="utf-8")
    for expected in ("Utgåva 2026 jämförd med utgåva 2025", "Reviderade värden", "Nya datapunkter",
                     "Nya indikatorer", "Ändrad status för åtgärder", 'id="MVK05"', 'id="MVK03"',
                     f'id="{REMOVED_INDICATOR}"', CORRECTION, "<td>11</td>", "<td>12 <abbr"):
        assert expected in page, expected
    english = (out / "editions" / "2026" / "en" / "changes.html").read_text(encoding="utf-8")
    assert "Edition 2026 compared with edition 2025" in english and "Revised values" in english
    indicator = (out / "editions" / "2026" / "indicators" / "MVK05.html").read_text(encoding="utf-8")
    assert "Ändrat sedan utgåva 2025" in indicator and CORRECTION in indicator
    first = (out / "editions" / "2025" / "changes.html").read_text(encoding="utf-8")
    assert "Det här är den första utgåvan" in first


def test_the_earlier_edition_is_byte_identical_after_the_next_is_published(published):
    out = published["out"]
    assert tree_hashes(out / "editions" / "2025") == published["edition_2025"]
    latest = (out / "editions" / "latest.js").read_text(encoding="utf-8")
    assert latest == 'window.MVK_LATEST = {"latest": "2026", "editions": ["2025", "2026"]};\n'
    listing = (out / "site" / "editions.html").read_text(encoding="utf-8")
    assert 'href="../editions/2025/index.html"' in listing
    own_copy = (out / "editions" / "2026" / "editions.html").read_text(encoding="utf-8")
    assert 'href="../2025/index.html"' in own_copy and "../editions/" not in own_copy
    assert 'data-edition="2025"' in (out / "editions" / "2025" / "index.html").read_text(encoding="utf-8")


def test_verify_passes_on_an_edition_and_names_a_changed_file(published, tmp_path):
    out = published["out"]
    for folder in (out / "editions" / "2025", out / "editions" / "2026", out / "site"):
        result = run_mvk("verify", str(folder))
        assert result.returncode == 0, result.stderr
    ok = run_mvk("verify", str(out / "editions" / "2025")).stdout
    assert "stämmer med sitt manifest" in ok and "Utgåva 2025" in ok and "programversion" in ok

    copy = tmp_path / "mvk-2025"
    shutil.copytree(out / "editions" / "2025", copy)
    page = copy / "indicators" / "MVK05.html"
    content = bytearray(page.read_bytes())
    content[100] = ord("X") if content[100] != ord("X") else ord("Y")
    page.write_bytes(bytes(content))
    bad = run_mvk("verify", str(copy), "--lang", "en")
    assert bad.returncode == 1
    assert "does NOT match its manifest (edition 2025" in bad.stderr
    assert "changed (checksum differs from the manifest): indicators/MVK05.html" in bad.stderr
    assert bad.stderr.count("indicators/") == 1


def test_publishing_an_existing_edition_is_refused_and_replacing_keeps_the_old_manifest(published):
    out, data = published["out"], published["data"]
    before = tree_hashes(out / "editions")
    refused = run_mvk("run", "--edition", "2026", "--data-dir", str(data), "--out", str(out))
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "utgåva 2026 finns redan" in lines[0] and "--replace-edition" in lines[0]
    assert tree_hashes(out / "editions") == before

    old_manifest = (out / "editions" / "2026" / "manifest.json").read_bytes()
    replaced = run_mvk("run", "--edition", "--replace-edition", "--data-dir", str(data), "--out", str(out))
    assert replaced.returncode == 0, replaced.stderr
    kept = list((out / "editions" / "2026").glob("manifest.replaced-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == old_manifest
    check = run_mvk("verify", str(out / "editions" / "2026"))
    assert check.returncode == 0 and kept[0].name in check.stdout
    assert tree_hashes(out / "editions" / "2025") == published["edition_2025"]


def test_an_older_edition_shows_the_newer_one_offline(published, chromium_browser):
    out = published["out"]
    page = chromium_browser.new_page()
    try:
        page.goto((out / "editions" / "2025" / "en" / "index.html").as_uri())
        banner = page.locator("#edition-banner")
        banner.wait_for(state="visible", timeout=10_000)
        assert "edition 2026" in banner.inner_text()
        href = page.locator("#edition-banner-link").get_attribute("href")
        assert href.endswith("/editions/2026/en/index.html")
        for latest in (out / "editions" / "2026" / "index.html", out / "site" / "index.html"):
            page.goto(latest.as_uri())
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)
            assert page.locator("#edition-banner").is_hidden()
    finally:
        page.close()


def test_leftovers_of_a_killed_publish_are_cleared(tmp_path):
    from reports.editions import clear_leftovers

    folder = tmp_path / "editions"
    (folder / ".2027.publishing" / "data").mkdir(parents=True)
    (folder / ".2026.replaced").mkdir()            # killed between the two renames: 2026 must come back
    (folder / ".2026.replaced" / "manifest.json").write_text("{}", encoding="utf-8")
    removed = clear_leftovers(tmp_path)
    assert [p.name for p in removed] == [".2027.publishing"]
    assert (folder / "2026" / "manifest.json").is_file() and not (folder / ".2027.publishing").exists()
