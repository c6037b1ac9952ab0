"""The sv/en message catalogue is complete: a missing translation fails the build."""

import re
from pathlib import Path

import pytest

from indicators.i18n import catalogue, missing_translations, t
from indicators.registry import load_catalogue
from indicators.sources import load_sources

ROOT = Path(__file__).resolve().parents[1]


def test_every_message_has_swedish_and_english():
    assert missing_translations() == []


def test_every_key_used_in_code_and_templates_exists():
    used = set()
    for path in [*ROOT.glob("indicators/**/*.py"), *ROOT.glob("pipelines/**/*.py"), *ROOT.glob("reports/**/*.py"),
                 *ROOT.glob("reports/templates/*.j2")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[A-Za-z0-9_.*]+)["']""", text))
        used |= set(re.findall(r"""ReaderError\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", text))
    assert used, "no message keys found"
    assert sorted(k for k in used if k not in catalogue()) == []


def test_specs_are_bilingual():
    for spec in load_catalogue().values():
        for lang in ("sv", "en"):
            assert spec.name[lang] and spec.definition[lang] and spec.caveats[lang]
    for source in load_sources().values():
        for lang in ("sv", "en"):
            assert source.title[lang] and source.publisher[lang] and source.licence[lang]


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        t("site.title", "de")
