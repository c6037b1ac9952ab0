"""Which code built the site: the git commit, marked ``+dirty`` when tracked files were changed."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

import yaml

from pipelines.paths import PROJECT_ROOT


@cache
def code_version() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              check=True, timeout=20).stdout.strip()

    try:
        sha = git("rev-parse", "--short=12", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return sha + ("+dirty" if dirty else "")


def edition(data_dir: Path) -> str:
    """The edition named in ``DATA_DIR/edition.yaml``; a data folder without one builds a draft ('utkast').
    ``mvk run --edition E`` sets MVK_EDITION, which overrides the file (docs/editions.md)."""
    if os.environ.get("MVK_EDITION"):
        return os.environ["MVK_EDITION"]
    path = data_dir / "edition.yaml"
    if path.exists():
        return str(yaml.safe_load(path.read_text(encoding="utf-8"))["edition"])
    return "utkast"
