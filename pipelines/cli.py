"""The ``mvk`` command line.

``mvk run`` materialises every asset through Dagster in one run: in-process executor, a persistent
DAGSTER_HOME (OUT/dagster_home unless one is set) whose instance config limits the ``duckdb`` pool
to one writer. It prints progress asset by asset, exits non-zero with a one-line reason on any
failure, and prints where the site's index page is.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from indicators.i18n import t
from pipelines.settings import PROJECT_ROOT

DAGSTER_YAML_TEMPLATE = PROJECT_ROOT / "dagster_home" / "dagster.yaml"
EXIT_FAILED, EXIT_USAGE = 1, 2


def _prepare_dagster_home(out_dir: Path) -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or out_dir / "dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        shutil.copyfile(DAGSTER_YAML_TEMPLATE, config)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _progress_hooks(lang: str, total: int):
    import dagster as dg

    done = {"n": 0}

    def label(context) -> str:
        keys = context.op.name.split("__") if context.op else ["?"]
        return "/".join(keys)

    @dg.success_hook(name="mvk_progress_success")
    def on_success(context) -> None:
        done["n"] += 1
        print(t("cli.step_done", lang, n=done["n"], total=total, asset=label(context)), flush=True)

    @dg.failure_hook(name="mvk_progress_failure")
    def on_failure(context) -> None:
        done["n"] += 1
        print(t("cli.step_failed", lang, n=done["n"], total=total, asset=label(context)), flush=True)

    return {on_success, on_failure}


def _failure_reason(result) -> str:
    """The first step failure as one line: asset and the error's own message."""
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            message = (error.message if error else "").strip()
            if error and error.cause and "Failure" not in (error.cls_name or ""):
                message = message or error.cause.message.strip()
            first_line = message.splitlines()[0] if message else "?"
            asset = (event.step_key or "?").replace("__", "/")
            return f"{asset}: {first_line.removeprefix('dagster._core.definitions.events.Failure: ')}"
    return "?"


def command_run(args: argparse.Namespace) -> int:
    lang = args.lang
    data_dir = Path(args.data_dir).resolve()
    out_dir = Path(args.out).resolve()
    if not (data_dir / "sources").is_dir():
        print(t("cli.no_data_dir", lang, path=data_dir), file=sys.stderr)
        return EXIT_USAGE
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(MVK_DATA_DIR=str(data_dir), MVK_OUT_DIR=str(out_dir), MVK_LANG=lang)
    home = _prepare_dagster_home(out_dir)

    import dagster as dg

    from pipelines.definitions import defs as load_defs

    defs = load_defs()
    asset_count = len(list(defs.resolve_asset_graph().get_all_asset_keys()))
    job = dg.define_asset_job("mvk_run", selection=dg.AssetSelection.all(),
                              hooks=_progress_hooks(lang, asset_count))
    defs = dg.Definitions.merge(defs, dg.Definitions(jobs=[job]))
    print(t("cli.run_start", lang, data=data_dir, out=out_dir, home=home, count=asset_count), flush=True)
    started = time.monotonic()
    with dg.DagsterInstance.get() as instance:
        result = defs.resolve_job_def("mvk_run").execute_in_process(
            instance=instance, raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        )
    if not result.success:
        print(t("cli.run_failed", lang, reason=_failure_reason(result)), file=sys.stderr)
        return EXIT_FAILED
    index = out_dir / "site" / "index.html"
    print(t("cli.run_done", lang, seconds=f"{time.monotonic() - started:.1f}"), flush=True)
    print(index)
    return 0


def build_parser() -> argparse.ArgumentParser:
    description = t("cli.description", "sv") + " / " + t("cli.description", "en")
    parser = argparse.ArgumentParser(prog="mvk", description=description)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help=t("cli.run_help", "sv"))
    run.add_argument("--data-dir", default=str(PROJECT_ROOT / "data"), help=t("cli.data_dir_help", "sv"))
    run.add_argument("--out", default=str(PROJECT_ROOT / "build"), help=t("cli.out_help", "sv"))
    run.add_argument("--lang", choices=("sv", "en"), default="sv", help=t("cli.lang_help", "sv"))
    run.set_defaults(handler=command_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
