"""The project's root folder, importable without loading Dagster (the command line starts fast)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PRINT_EDITION = "MVK_PRINT_EDITION"   # "on" (default) or "off": pipelines.settings.FollowupPaths.print_edition
