"""Where the pipeline reads and writes, resolved from the environment with project defaults.

``mvk run`` sets MVK_DATA_DIR, MVK_OUT_DIR and MVK_LANG; ``dg dev`` without them reads the shipped
``data/`` and writes to ``build/``, so the UI and the command line work on the same folders.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from pipelines.paths import PROJECT_ROOT  # noqa: F401  (re-exported for the defs)


class FollowupPaths(dg.ConfigurableResource):
    """The data folder (inputs), the output folder and the language of messages."""

    data_dir: str
    out_dir: str
    lang: str = "sv"

    @classmethod
    def from_environment(cls) -> FollowupPaths:
        return cls(
            data_dir=str(Path(os.environ.get("MVK_DATA_DIR", PROJECT_ROOT / "data")).resolve()),
            out_dir=str(Path(os.environ.get("MVK_OUT_DIR", PROJECT_ROOT / "build")).resolve()),
            lang=os.environ.get("MVK_LANG", "sv"),
        )

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def warehouse_dir(self) -> Path:
        return Path(self.out_dir) / "warehouse"

    @property
    def warehouse_file(self) -> Path:
        return self.warehouse_dir / "warehouse.duckdb"

    @property
    def site_dir(self) -> Path:
        return Path(self.out_dir) / "site"
