"""The project's root folder, importable without loading Dagster (the command line starts fast)."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DAGSTER_YAML_TEMPLATE = PROJECT_ROOT / "dagster_home" / "dagster.yaml"   # copied into a new DAGSTER_HOME
PRINT_EDITION = "MVK_PRINT_EDITION"   # pipelines.settings.FollowupPaths.print_edition
PRINT_CHOICES = ("on", "off")         # "on", the default, prints the PDFs; "off" builds a draft without them


def print_edition_setting() -> str:
    """MVK_PRINT_EDITION as this process has it (the default when unset), for the checks made before
    Dagster starts (the command line, the no-op fingerprint)."""
    return os.environ.get(PRINT_EDITION, PRINT_CHOICES[0])
