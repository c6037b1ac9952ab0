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

from indicators.i18n import LANGUAGES, t
from pipelines.cli_frame import (
    EXIT_ENVIRONMENT,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    HelpFormatter,
    detect_language,
    translated,
    version_line,
)
from pipelines.paths import DAGSTER_YAML_TEMPLATE, PRINT_CHOICES, PROJECT_ROOT, print_edition_setting
from pipelines.progress import StepProgress, seconds_text, working_on

EXIT_FAILED = EXIT_REFUSED   # a refused file or a failed run


def _prepare_dagster_home(out_dir: Path) -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or out_dir / "dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        shutil.copyfile(DAGSTER_YAML_TEMPLATE, config)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _progress_hooks(progress: dict):
    """Dagster hooks that report each finished step to the run's StepProgress (set once it exists)."""
    import dagster as dg

    def label(context) -> str:
        return context.op.name.replace("__", "/") if context.op else "?"

    @dg.success_hook(name="mvk_progress_success")
    def on_success(context) -> None:
        progress["reporter"].step(label(context), ok=True)

    @dg.failure_hook(name="mvk_progress_failure")
    def on_failure(context) -> None:
        progress["reporter"].step(label(context), ok=False)

    return {on_success, on_failure}


def _failure_reason(result, lang: str = "sv") -> str:
    """The first step failure as one line: asset and the error's own message; or, when no step ran
    because a resource did not start, which resource and why (``operations.resource_failure``)."""
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            message = (error.message if error else "").strip()
            if error and error.cause and "Failure" not in (error.cls_name or ""):
                message = message or error.cause.message.strip()
            first_line = message.splitlines()[0] if message else "?"
            asset = (event.step_key or "?").replace("__", "/")
            return f"{asset}: {first_line.removeprefix('dagster._core.definitions.events.Failure: ')}"
    from pipelines.operations import resource_failure

    return resource_failure(result, lang) or "?"


def _environment(args: argparse.Namespace) -> tuple[Path, Path] | None:
    """Resolve the folders, export them for the definitions, and prepare DAGSTER_HOME."""
    data_dir = Path(args.data_dir).resolve()
    out_dir = Path(args.out).resolve()
    if not (data_dir / "sources").is_dir():
        print(t("cli.no_data_dir", args.lang, path=data_dir), file=sys.stderr)
        return None
    printing = print_edition_setting()
    if printing not in PRINT_CHOICES:      # said before the run, not after its steps (report_site checks too)
        print(t("print.setting_invalid", args.lang, found=printing), file=sys.stderr)
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(MVK_DATA_DIR=str(data_dir), MVK_OUT_DIR=str(out_dir), MVK_LANG=args.lang)
    _prepare_dagster_home(out_dir)
    from pipelines.operations import prepare_writer  # writer lock, dead runs, leftovers, damaged warehouse

    prepare_writer(out_dir, args.lang, getattr(args, "wait", None))
    return data_dir, out_dir


def _materialise(lang: str, source_ids: list[str] | None = None, *, quiet: bool = False) -> int:
    """One Dagster run over every asset, or over the given sources and everything downstream."""
    import dagster as dg

    from pipelines.definitions import defs as load_defs
    from pipelines.defs.evidence import DECISIONS_KEY, DOCUMENTS_KEY
    from pipelines.defs.ingest import source_asset_key
    from pipelines.defs.programme import SUBMISSIONS_KEY

    defs = load_defs()
    if source_ids is None:
        selection = dg.AssetSelection.all()
    else:
        named = {"programme": SUBMISSIONS_KEY, "documents": DOCUMENTS_KEY, "reviews": DECISIONS_KEY}
        keys = [named.get(s) or source_asset_key(s) for s in source_ids]
        selection = dg.AssetSelection.assets(*keys).downstream()
    progress: dict = {}
    job = dg.define_asset_job("mvk_run", selection=selection, hooks=_progress_hooks(progress))
    defs = dg.Definitions.merge(defs, dg.Definitions(jobs=[job]))
    job_def = defs.resolve_job_def("mvk_run")
    count = len(job_def.graph.nodes)   # one step per asset and per standalone check
    if not quiet:
        print(t("cli.run_start", lang, data=os.environ["MVK_DATA_DIR"], out=os.environ["MVK_OUT_DIR"],
                home=os.environ["DAGSTER_HOME"], count=count), flush=True)
    started = time.monotonic()
    with dg.DagsterInstance.get() as instance, StepProgress(lang, count, quiet=quiet) as reporter:
        progress["reporter"] = reporter
        result = job_def.execute_in_process(
            instance=instance, raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        )
    if not result.success:
        print(t("cli.run_failed", lang, reason=_failure_reason(result, lang)), file=sys.stderr)
        return EXIT_FAILED
    if not quiet:
        print(t("cli.run_done", lang, seconds=seconds_text(time.monotonic() - started, lang)), flush=True)
    print(Path(os.environ["MVK_OUT_DIR"]) / "site" / "index.html")
    return EXIT_OK


def command_run(args: argparse.Namespace) -> int:
    """A full run; nothing at all when nothing it depends on has changed since the last one (unless --force)."""
    from pipelines import cli_editions

    data_dir, out_dir = Path(args.data_dir).resolve(), Path(args.out).resolve()
    edition = cli_editions.requested(args, data_dir, out_dir)   # --edition: refused here when it exists
    if edition is cli_editions.REFUSED:
        return EXIT_REFUSED
    with cli_editions.edition_environment(edition):
        status = _run(args, data_dir, out_dir, cli_editions.state(data_dir, out_dir))
        if status == EXIT_OK and edition is not None:
            status = cli_editions.publish(args, out_dir, edition)
    return status


def _run(args: argparse.Namespace, data_dir: Path, out_dir: Path, editions_state: str) -> int:
    from pipelines import fingerprint

    if not args.force and (data_dir / "sources").is_dir() and \
            fingerprint.up_to_date(data_dir, out_dir, editions_state):
        if not args.quiet:
            print(t("cli.nothing_changed", args.lang))
        print(out_dir / "site" / "index.html")
        return EXIT_OK
    if _environment(args) is None:
        return EXIT_USAGE
    fingerprint.forget(out_dir)          # a run that stops half-way must not look up to date
    status = _materialise(args.lang, quiet=args.quiet)
    if status == EXIT_OK:
        fingerprint.record(data_dir, out_dir, editions_state)
    return status


def _warehouse_state(out_dir: Path, source_id: str):
    """The source's loaded observations, read from the warehouse without writing (None: no warehouse)."""
    from indicators.warehouse import read_state
    from pipelines.operations import read_only  # waits while a writer's step holds the file

    warehouse = out_dir / "warehouse" / "warehouse.duckdb"
    if not warehouse.exists():
        return None
    with read_only(warehouse) as conn:
        tables = {r[0] for r in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
        if not {"observations", "snapshots", "schema_version"} <= tables:
            return None
        snapshot_columns = {r[0] for r in conn.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' "
            "and table_name = 'snapshots'").fetchall()}
        if "load_seq" not in snapshot_columns:
            return None
        return read_state(conn, source_id)


def _plan_against_warehouse(path: Path, validated, args: argparse.Namespace):
    """Check the file again with the cells already loaded and work out what loading it would do.

    Returns (the validated file, the plan or None when there is no warehouse); raises ReaderError
    when the file would withdraw cells without ``--withdraw`` or its parts and totals disagree with
    what is loaded."""
    from indicators.revisions import describe_plan, plan_load
    from indicators.validation import validate_file
    from indicators.warehouse import WAREHOUSE_COLUMNS

    out_dir = Path(args.out).resolve()
    state = _warehouse_state(out_dir, validated.spec.id)
    if state is None:
        print(t("revisions.no_warehouse", args.lang, path=out_dir / "warehouse"))
        return validated, None
    validated = validate_file(path, source_id=validated.spec.id, data=validated.content, loaded=state.observations)
    new = validated.observations.copy()
    new.insert(0, "snapshot_sha256", validated.sha256)
    new.insert(0, "source_id", validated.spec.id)
    plan = plan_load(state.observations, new[WAREHOUSE_COLUMNS], withdraw=args.withdraw, file=path.name,
                     new_snapshot=validated.sha256)
    print(describe_plan(plan, path.name, args.lang))
    return validated, plan


def _validate_all(args: argparse.Namespace):
    """Validate each file; yields (path, validated or None, ReaderError or None) and prints the outcome,
    with the plan of what loading it would do to the warehouse in ``--out``."""
    from indicators.intake import ValidatedDocument, ValidatedReview, ValidatedSubmission, validate_any
    from indicators.microdata import ValidatedMicrodata
    from indicators.programme.identity_numbers import safe_text
    from indicators.programme.register import load_register
    from indicators.readers import ReaderError

    data_dir = Path(args.data_dir).resolve()
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(t("cli.no_such_file", args.lang, file=safe_text(name)), file=sys.stderr)
            yield path, None, None
            continue
        try:
            with working_on(path.name, args.lang, quiet=getattr(args, "quiet", False)):
                validated = validate_any(path, data_dir=data_dir, source_id=args.source,
                                         agency=getattr(args, "agency", None), year=getattr(args, "year", None))
            if isinstance(validated, ValidatedDocument):
                doc, found = validated.document, validated.recognition
                agencies = load_register(data_dir).agencies          # readers see the name, not the id
                name = agencies[found.agency_id].name[args.lang] if found.agency_id in agencies else found.agency_id
                print(t("evidence_cli.validate_document_ok", args.lang, file=path.name, agency=name,
                        year=found.year, kind=t(f"evidence_cli.doc_type_{found.doc_type}", args.lang),
                        pages=len(doc.pages), withheld=sum(1 for p in doc.pages if p.withheld),
                        by=t(f"evidence_cli.by_{found.recognised_by}", args.lang)))
                for page in (p for p in doc.pages if p.withheld):
                    print(t("evidence_cli.page_withheld", args.lang, file=path.name, page=page.number,
                            masked=", ".join(page.masked)), file=sys.stderr)
            elif isinstance(validated, ValidatedReview):
                print(t("evidence_cli.validate_review_ok", args.lang, file=path.name,
                        decisions=len(validated.decisions)))
            elif isinstance(validated, ValidatedMicrodata):
                print(t("microdata.validate_ok", args.lang, file=path.name, source=validated.spec.id,
                        rows=validated.rows, first=validated.years[0], last=validated.years[-1],
                        illustrative=validated.illustrative))
            elif isinstance(validated, ValidatedSubmission):
                report = validated.submission
                print(t("cli.validate_submission_ok", args.lang, file=path.name, agency=report.agency_id,
                        year=report.year, measures=len(report.measures), figures=len(report.key_figures),
                        obstacles=len(report.obstacles)))
            else:
                years = validated.years
                print(t("cli.validate_ok", args.lang, file=path.name, source=validated.spec.id,
                        rows=len(validated.observations), first=years[0], last=years[-1],
                        illustrative=int(validated.observations["illustrative"].sum())))
                validated, _ = _plan_against_warehouse(path, validated, args)
                for warning in validated.warnings:
                    print(t("cli.warning", args.lang, message=warning.message(args.lang)))
        except ReaderError as err:
            print(err.message(args.lang), file=sys.stderr)
            yield path, None, err
            continue
        yield path, validated, None


def command_validate(args: argparse.Namespace) -> int:
    """Run every ingest check on the files and write nothing."""
    results = list(_validate_all(args))
    return EXIT_FAILED if any(v is None for _, v, _ in results) else 0


def command_ingest(args: argparse.Namespace) -> int:
    """Validate, then file good files in their sources and set bad ones aside (copies: the user's file
    stays where it was); then load and rebuild. ``--dry-run`` stops after printing the plan."""
    from indicators.evidence.overrides import write_overrides
    from indicators.intake import (
        ValidatedDocument,
        ValidatedReview,
        ValidatedSubmission,
        accept,
        destination,
        quarantine,
    )
    from indicators.warehouse import loaded_hashes

    if args.dry_run:
        results = list(_validate_all(args))
        print(t("revisions.dry_run", args.lang))
        return EXIT_FAILED if any(v is None for _, v, _ in results) else 0
    folders = _environment(args)
    if folders is None:
        return EXIT_USAGE
    data_dir, out_dir = folders
    in_warehouse = loaded_hashes(out_dir / "warehouse" / "warehouse.duckdb")
    failed, affected = False, []
    for path, validated, error in _validate_all(args):
        if validated is None:
            failed = True
            if error is not None:
                print(t("cli.quarantined", args.lang, path=quarantine(path, error, data_dir, move=False)),
                      file=sys.stderr)
            continue
        is_report = isinstance(validated, ValidatedSubmission)
        is_document = isinstance(validated, ValidatedDocument)
        is_review = isinstance(validated, ValidatedReview)
        target, new = accept(path, destination(validated, data_dir), move=False,
                             withdraw=args.withdraw and not (is_report or is_document or is_review))
        if is_document and new:
            write_overrides(target, agency=args.agency, year=args.year)   # survives every later run
        if not new and validated.sha256 in in_warehouse:
            print(t("cli.already_ingested", args.lang, file=path.name, target=target))
            continue
        print(t("cli.accepted", args.lang, file=path.name, target=target))
        key = ("programme" if is_report else "documents" if is_document else "reviews" if is_review
               else validated.spec.id)
        if key not in affected:
            affected.append(key)
    status = _materialise(args.lang, affected, quiet=args.quiet) if affected else 0
    return EXIT_FAILED if failed or status else 0


def command_rebuild(args: argparse.Namespace) -> int:
    """Recreate the warehouse and the site from the snapshots alone, in ingest order (docs/operations.md)."""
    from pipelines.rebuild import finish_rebuild, prepare_rebuild

    replay = prepare_rebuild(args, _prepare_dagster_home)
    return EXIT_FAILED if replay is None else finish_rebuild(replay, _materialise(args.lang), args.lang)


def command_template(args: argparse.Namespace) -> int:
    """Write an agency's reporting template for a year, pre-filled with its measures."""
    from indicators.programme.register import find_agency, load_register
    from indicators.programme.template import write_template

    register = load_register(Path(args.data_dir).resolve())
    agency = find_agency(register, args.agency)
    if agency is None:
        known = ", ".join(a.name["sv"] for a in register.agencies.values())
        print(t("cli.unknown_agency", args.lang, agency=args.agency, known=known), file=sys.stderr)
        return EXIT_USAGE
    first, last = register.programme.get("period", [2024, 2026])
    if not first <= args.year <= last:
        print(t("cli.template_bad_year", args.lang, year=args.year, first=first, last=last), file=sys.stderr)
        return EXIT_USAGE
    write_template(register, agency.id, args.year, Path(args.out))
    print(t("cli.template_written", args.lang, agency=agency.name[args.lang], year=args.year, path=args.out))
    return 0


def command_evidence(args: argparse.Namespace) -> int:
    """Write the analyst's review workbook of the documents' evidence (pipelines.evidence_review)."""
    from pipelines.evidence_review import command_evidence as write_review

    return write_review(args)


def command_status(args: argparse.Namespace) -> int:
    """The warehouse at a glance: sources (latest year, snapshot, next release, overdue), runs, quarantine."""
    from pipelines.cli_tables import dumps, print_status
    from pipelines.status import collect

    facts = collect(Path(args.data_dir).resolve(), Path(args.out).resolve(), wait=args.wait)
    if args.json:
        print(dumps(facts))
    else:
        print_status(facts, args.lang)
    return EXIT_ENVIRONMENT if facts["warehouse"] == "locked" else EXIT_OK


def command_sources(args: argparse.Namespace) -> int:
    from pipelines.cli_tables import dumps, print_sources, sources_facts

    print(dumps(sources_facts())) if args.json else print_sources(args.lang)
    return EXIT_OK


def command_indicators(args: argparse.Namespace) -> int:
    from pipelines.cli_tables import dumps, indicators_facts, print_indicators

    print(dumps(indicators_facts())) if args.json else print_indicators(args.lang)
    return EXIT_OK


def command_completion(args: argparse.Namespace) -> int:
    """A bash or zsh completion script generated from the parser (``make setup`` installs both into .venv)."""
    import shtab

    with translated(args.lang):
        print(shtab.complete(build_parser(args.lang), shell=args.shell))
    return EXIT_OK


def _examples(lang: str, name: str) -> str:
    lines = t(f"cli.{name}_examples", lang).strip().splitlines()
    return "\n".join([t("cli.examples" if len(lines) > 1 else "cli.example", lang),
                      *(f"  {line}" for line in lines)])


def _command(sub, name: str, handler, lang: str, *, files: bool = False, source: bool = False,
             out: bool = False, data: bool = True):
    """A subcommand with its description and examples, and the options many commands share:
    --data-dir, --out, FILE…, --source, --lang (accepted anywhere on the line)."""
    summary = t(f"cli.{name}_help", lang)
    parser = sub.add_parser(name, help=summary, description=summary[:1].upper() + summary[1:] + ".",
                            epilog=_examples(lang, name), formatter_class=HelpFormatter)
    parser._positionals.title = t("cli.frame.positional", lang)
    parser._optionals.title = t("cli.frame.options", lang)
    if files:
        parser.add_argument("files", nargs="+", metavar=t("cli.file_metavar", lang),
                            help=t(f"cli.{name}_files_help", lang))
    if source:
        parser.add_argument("--source", metavar="ID", help=t("cli.source_help", lang))
    if data:
        parser.add_argument("--data-dir", metavar=t("cli.dir_metavar", lang), default=str(PROJECT_ROOT / "data"),
                            help=t("cli.data_dir_help", lang))
    if out:
        parser.add_argument("--out", metavar=t("cli.dir_metavar", lang), default=str(PROJECT_ROOT / "build"),
                            help=t("cli.out_help", lang))
    parser.add_argument("--lang", choices=LANGUAGES, default=lang, help=t("cli.lang_help", lang))
    parser.set_defaults(handler=handler)
    return parser


def build_parser(lang: str = "sv") -> argparse.ArgumentParser:
    """The whole command line in ``lang``: every command and argument with help text and an example."""
    parser = argparse.ArgumentParser(prog="mvk", description=t("cli.description", lang),
                                     epilog=t("cli.frame.more_help", lang) + "\n" + t("cli.frame.exit_codes", lang),
                                     formatter_class=HelpFormatter)
    parser._positionals.title = t("cli.frame.positional", lang)
    parser._optionals.title = t("cli.frame.options", lang)
    parser.add_argument("--version", action="store_true", help=t("cli.version_help", lang))
    parser.add_argument("--lang", choices=LANGUAGES, default=lang, help=t("cli.lang_help", lang))
    sub = parser.add_subparsers(dest="command", title=t("cli.frame.commands", lang),
                                metavar=t("cli.frame.command_metavar", lang))
    run = _command(sub, "run", command_run, lang, out=True)
    run.add_argument("--quiet", action="store_true", help=t("cli.quiet_help", lang))
    run.add_argument("--force", action="store_true", help=t("cli.force_help", lang))
    run.add_argument("--wait", type=int, metavar="S", help=t("operations.wait_help", lang))
    from pipelines.cli_editions import add_arguments as edition_arguments

    edition_arguments(run, sub, _command, lang)   # --edition, --replace-edition, and `mvk verify DIR`
    validate = _command(sub, "validate", command_validate, lang, files=True, source=True, out=True)
    validate.add_argument("--withdraw", action="store_true", help=t("cli.withdraw_help", lang))
    ingest = _command(sub, "ingest", command_ingest, lang, files=True, source=True, out=True)
    ingest.add_argument("--withdraw", action="store_true", help=t("cli.withdraw_help", lang))
    for command in (validate, ingest):     # for documents whose text does not say which agency and year
        command.add_argument("--agency", metavar=t("cli.agency_metavar", lang),
                             help=t("evidence_cli.agency_help", lang))
        command.add_argument("--year", type=int, metavar=t("cli.year_metavar", lang),
                             help=t("evidence_cli.year_help", lang))
    ingest.add_argument("--dry-run", action="store_true", help=t("cli.dry_run_help", lang))
    ingest.add_argument("--quiet", action="store_true", help=t("cli.quiet_help", lang))
    ingest.add_argument("--wait", type=int, metavar="S", help=t("operations.wait_help", lang))
    template = _command(sub, "template", command_template, lang)
    template.add_argument("--agency", required=True, metavar=t("cli.agency_metavar", lang),
                          help=t("cli.agency_help", lang))
    template.add_argument("--year", required=True, type=int, metavar=t("cli.year_metavar", lang),
                          help=t("cli.year_help", lang))
    template.add_argument("--out", required=True, metavar=t("cli.file_metavar", lang) + ".xlsx",
                          help=t("cli.template_out_help", lang))
    evidence = _command(sub, "evidence", command_evidence, lang)
    evidence.add_argument("--year", required=True, type=int, metavar=t("cli.year_metavar", lang),
                          help=t("cli.evidence_year_help", lang))
    evidence.add_argument("--out", required=True, metavar=t("cli.file_metavar", lang) + ".xlsx",
                          help=t("cli.evidence_out_help", lang))
    evidence.add_argument("--build", metavar=t("cli.dir_metavar", lang), default=str(PROJECT_ROOT / "build"),
                          help=t("cli.evidence_build_help", lang))
    _command(sub, "rebuild", command_rebuild, lang, out=True).add_argument(
        "--wait", type=int, metavar="S", help=t("operations.wait_help", lang))
    status = _command(sub, "status", command_status, lang, out=True)
    status.add_argument("--json", action="store_true", help=t("cli.json_help", lang))
    status.add_argument("--wait", type=int, metavar="S", help=t("operations.status_wait_help", lang))
    for name, handler in (("sources", command_sources), ("indicators", command_indicators)):
        listing = _command(sub, name, handler, lang, data=False)
        listing.add_argument("--json", action="store_true", help=t("cli.json_help", lang))
    completion = _command(sub, "completion", command_completion, lang, data=False)
    completion.add_argument("shell", choices=("bash", "zsh"), help=t("cli.shell_help", lang))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse in the user's language (``--lang`` anywhere, MVK_LANG, the locale; Swedish by default)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = detect_language(argv)
    with translated(lang):
        parser = build_parser(lang)
        if not argv:
            parser.print_help()
            return EXIT_OK
        try:
            args = parser.parse_args(argv)
        except SystemExit as stop:    # argparse: 0 after --help, 2 for a usage error
            return int(stop.code or 0)
    args.lang = lang
    if args.version:
        print(version_line(lang))
        return EXIT_OK
    if args.command is None:
        with translated(lang):
            parser.print_help()
        return EXIT_OK
    try:
        return args.handler(args)
    except BrokenPipeError:          # `mvk status | head`: the reader has gone, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def console() -> None:
    """The ``mvk`` command: ``main``, the exit handlers, then an immediate end of the process.

    Why not a plain ``sys.exit``: after a run the interpreter spends about a second (1.1 s of a 15 s
    incremental run, measured) tearing down the modules and objects Dagster, pandas and the render
    left, and that is time the analyst waits. Everything a run writes is closed by then (files in
    with-blocks, the warehouse by its resource, the run log by its instance) and the exit handlers
    still run (temporary folders, locks), so only the teardown is skipped. Tests call ``main``."""
    import atexit
    import logging

    status = main()
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):    # a reader that has gone, or a closed stream
            pass
    os._exit(status)


if __name__ == "__main__":
    console()
