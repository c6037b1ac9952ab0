"""``mvk run --edition`` and ``mvk verify``: the command-line side of reports/editions.py (docs/editions.md).

Kept out of ``pipelines/cli.py`` so that the run command only gains three calls: what to publish
(refused before anything is written when the edition exists), the fingerprint part that makes a no-op
run notice a new earlier edition, and the publication after a successful run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from indicators.i18n import t
from pipelines.cli_frame import EXIT_ENVIRONMENT, EXIT_OK, EXIT_REFUSED
from reports import editions

REFUSED = object()   # the edition exists and --replace-edition was not given


def requested(args: argparse.Namespace, data_dir: Path, out_dir: Path):
    """The edition to publish (None: the run publishes none; REFUSED: it exists, one line printed)."""
    from pipelines.versioning import edition

    wanted = getattr(args, "edition", None)
    if wanted is None and getattr(args, "replace_edition", False):
        wanted = ""               # --replace-edition alone: the edition of data/edition.yaml
    if wanted is None:
        return None
    name = wanted or edition(data_dir)
    target = out_dir / editions.EDITIONS / name
    if target.exists() and not getattr(args, "replace_edition", False):
        print(t("editions.cli.exists", args.lang, edition=name, path=target), file=sys.stderr)
        return REFUSED
    return name


@contextlib.contextmanager
def edition_environment(name: str | None) -> Iterator[None]:
    """MVK_EDITION for the run's site (pipelines.versioning.edition), restored afterwards (tests run
    the command line in their own process)."""
    saved = os.environ.get("MVK_EDITION")
    if name is not None:
        os.environ["MVK_EDITION"] = name
    try:
        yield
    finally:
        if name is not None:
            os.environ.pop("MVK_EDITION", None) if saved is None else os.environ.__setitem__("MVK_EDITION", saved)


def state(data_dir: Path, out_dir: Path) -> str:
    from pipelines.versioning import edition

    return editions.state(out_dir, edition(data_dir))


def publish(args: argparse.Namespace, out_dir: Path, name: str) -> int:
    """Copy the site just built into OUT/editions/<name> in one step, and say where; under the writer
    lock (the run's hold is given back when its Dagster run ends, and a no-op run never took one)."""
    from pipelines.operations import OperationsError, acquire_writer, release_writer, wait_seconds

    try:
        acquire_writer(out_dir, wait=wait_seconds(getattr(args, "wait", None)), lang=args.lang)
    except OperationsError as err:
        print(err, file=sys.stderr, flush=True)
        return EXIT_ENVIRONMENT
    try:
        editions.clear_leftovers(out_dir)
        replacing = (out_dir / editions.EDITIONS / name).exists()
        target = editions.publish(out_dir, name, replace=replacing)
    finally:
        release_writer(out_dir)
    if replacing:
        kept = sorted(target.glob("manifest.replaced-*.json"))[-1].name
        print(t("editions.cli.replaced", args.lang, edition=name, path=target, kept=kept))
    else:
        print(t("editions.cli.published", args.lang, edition=name, path=target))
    return EXIT_OK


def command_verify(args: argparse.Namespace) -> int:
    """Check a site copy against its manifest; print its edition and code version, or what differs."""
    result = editions.verify(Path(args.folder))
    lang = args.lang
    if result.problem:
        print(t("editions.verify.no_manifest", lang, path=result.folder, problem=result.problem), file=sys.stderr)
        return EXIT_REFUSED
    if result.ok:
        print(t("editions.verify.ok", lang, path=result.folder, files=result.files, edition=result.edition,
                code=result.code_version, built=result.build_time or "–"))
        if result.replaced:
            print(t("editions.verify.replaced", lang, names=", ".join(result.replaced)))
        return EXIT_OK
    print(t("editions.verify.failed", lang, path=result.folder, edition=result.edition, code=result.code_version,
            missing=len(result.missing), differs=len(result.differs), extra=len(result.extra)), file=sys.stderr)
    for kind in ("differs", "missing", "extra"):
        for name in getattr(result, kind):
            print(t(f"editions.verify.{kind}", lang, file=name), file=sys.stderr)
    return EXIT_REFUSED


def add_arguments(run: argparse.ArgumentParser, sub, command, lang: str) -> None:
    """--edition/--replace-edition on ``mvk run``, and the ``mvk verify DIR`` command."""
    run.add_argument("--edition", nargs="?", const="", metavar=t("editions.page.col_edition", lang).upper(),
                     help=t("editions.cli.edition_help", lang))
    run.add_argument("--replace-edition", action="store_true", help=t("editions.cli.replace_help", lang))
    verify = command(sub, "verify", command_verify, lang, data=False)
    verify.add_argument("folder", metavar=t("cli.dir_metavar", lang), help=t("cli.verify_dir_help", lang))
