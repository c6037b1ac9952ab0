"""Where the pipeline reads and writes: Dagster configuration resolved when a run or sensor starts.

``mvk run`` sets MVK_DATA_DIR, MVK_OUT_DIR and MVK_LANG; a team's daemon or ``dg dev`` has them set
at start. Each setting is handed to Dagster as ``dg.EnvVar``, which Dagster resolves in the process of
the run (or of the sensor evaluation) itself, not when the definitions are imported, and which the UI
shows as coming from that variable; a run launched from the UI can override it in its run config.
A variable that is not set where the definitions load gets the project default instead (``data/``,
``build/``, Swedish), so ``dg dev`` without any of them reads the shipped ``data/`` and writes to
``build/``, as the command line does.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from pipelines.paths import PRINT_CHOICES, PRINT_EDITION, PROJECT_ROOT

DEFAULTS = {"MVK_DATA_DIR": str(PROJECT_ROOT / "data"), "MVK_OUT_DIR": str(PROJECT_ROOT / "build"),
            "MVK_LANG": "sv"}


def setting(variable: str, default: str | None = None) -> str:
    """``dg.EnvVar(variable)`` (resolved by Dagster at run time) when the variable exists, else the default.

    Dagster's ``EnvVar`` has no default of its own: a run would fail on an unset variable, and the
    project's promise is that the UI works on ``data/`` and ``build/`` without any."""
    return dg.EnvVar(variable) if variable in os.environ else (default if default is not None else DEFAULTS[variable])


class FollowupPaths(dg.ConfigurableResource):
    """The data folder (inputs), the output folder and the language of messages."""

    data_dir: str
    out_dir: str
    lang: str = "sv"
    # MVK_PRINT_EDITION=off: the site without its PDFs, a draft for checking figures quickly (the print
    # is most of a run's time); the manifest and the run say so. "on" (the default) prints.
    print_edition: str = PRINT_CHOICES[0]

    @classmethod
    def configured(cls) -> FollowupPaths:
        """The resource as the code location declares it: each field from its variable at run time."""
        return cls(data_dir=setting("MVK_DATA_DIR"), out_dir=setting("MVK_OUT_DIR"), lang=setting("MVK_LANG"),
                   print_edition=setting(PRINT_EDITION, PRINT_CHOICES[0]))

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).resolve()

    @property
    def out_path(self) -> Path:
        return Path(self.out_dir).resolve()

    @property
    def warehouse_dir(self) -> Path:
        return self.out_path / "warehouse"

    @property
    def warehouse_file(self) -> Path:
        return self.warehouse_dir / "warehouse.duckdb"

    @property
    def site_dir(self) -> Path:
        return self.out_path / "site"
