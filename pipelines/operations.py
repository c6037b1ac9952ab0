"""Operating the pipeline safely: one writer at a time, dead runs, damaged warehouses, interrupts.

DuckDB allows one read-write process per file, and a Dagster run killed with SIGKILL keeps its claim
on the ``duckdb`` pool in the instance, so the next run would wait for it forever. Everything that
writes an output folder therefore first takes the **writer lock**, ``OUT/.mvk-writer.lock``: an
``flock`` that the operating system releases the moment its process dies, whatever killed it, so a
lock can never outlive its writer. The file holds who has it (run, process, host, command) so a
second writer can say what it waits for.

Holding the lock, a writer knows that any other run of the instance that still looks in progress,
or still holds pool slots, and whose process is gone, is dead: it marks it failed and frees its
slots (one line). It clears leftovers of killed runs (the site's staging folder, a half-swapped site,
half-written snapshots) and refuses, in one line naming ``mvk rebuild``, a warehouse that is missing,
truncated or corrupt, within seconds instead of DuckDB's connection retry loop.

The same steps run for ``mvk run``/``mvk ingest``/``mvk rebuild`` (before the Dagster run starts,
from ``pipelines.cli``) and for runs started by the UI or the inbox sensor (when the warehouse
resource is set up, :class:`WarehouseResource`), so one writer at a time holds whoever starts it.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import fcntl
import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from indicators.i18n import t
from indicators.sql_names import quote_identifier

LOCK_NAME = ".mvk-writer.lock"
DEFAULT_WAIT_SECONDS = 300
ANNOUNCE_EVERY_SECONDS = 30
REBUILD_PREFIX = ".rebuild-"
EXIT_ENVIRONMENT = 3   # as pipelines.cli_frame: the environment (the lock, the warehouse), not the data
# A run that never recorded its process and holds no slot is left alone this long (it may be a run
# the UI is still launching); after that, with the writer lock held, it cannot be alive and writing.
UNKNOWN_PROCESS_GRACE_SECONDS = 120
CLI_JOB = "mvk_run"   # the job pipelines.cli executes in its own process
# Tags every writing run carries, so that a later run can tell whether its process is still there.
TAG_PID, TAG_HOST, TAG_PID_START = "mvk/pid", "mvk/host", "mvk/pid_start"
# Error texts of DuckDB that mean the file itself is damaged (not a busy lock, not a bad query).
DAMAGE_MARKERS = ("not a valid duckdb database", "checksum", "could not read enough bytes", "corrupt",
                  "invalid block", "failed to read database header", "invalid database", "block id",
                  "the file is not a", "unexpected end", "database file is missing")
LOCK_MARKERS = ("could not set lock", "conflicting lock")


class OperationsError(Exception):
    """A condition the user must see as one line (already translated); the command exits non-zero."""


# ----------------------------------------------------------------------------------------- processes
def process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (``/proc``): a PID reused later differs."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]   # field 22 of proc(5), counted after the command name


def process_alive(pid: int, start: str | None = None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if start is None:
        return True
    current = process_start(pid)
    return current is None or current == start


def identity(run_id: str | None = None) -> dict[str, str]:
    """Who this process is, as recorded in the lock file and in the run's tags."""
    pid = os.getpid()
    command = " ".join(["mvk", *sys.argv[1:2]]) if Path(sys.argv[0]).name == "mvk" else "dagster"
    return {"pid": str(pid), "host": socket.gethostname(), "pid_start": process_start(pid) or "",
            "command": command, "run": run_id or "", "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}


def run_tags() -> dict[str, str]:
    me = identity()
    return {TAG_PID: me["pid"], TAG_HOST: me["host"], TAG_PID_START: me["pid_start"]}


# --------------------------------------------------------------------------------------- writer lock
@dataclass
class _Hold:
    fd: int
    count: int
    release_after_run: bool = False


_HELD: dict[str, _Hold] = {}
_GUARD = threading.Lock()


def lock_path(out_dir: Path) -> Path:
    return Path(out_dir).resolve() / LOCK_NAME


def holder(out_dir: Path) -> dict[str, str] | None:
    """What the lock file says about its holder (None when it says nothing readable)."""
    try:
        info = json.loads(lock_path(out_dir).read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def describe_holder(info: dict[str, str] | None, lang: str) -> str:
    if not info:
        return t("operations.other_unknown", lang)
    key = "operations.other_run" if info.get("run") else "operations.other_process"
    return t(key, lang, run=(info.get("run") or "")[:8], pid=info.get("pid", "?"), host=info.get("host", "?"),
             started=info.get("started", "?"), command=info.get("command", "?"))


def holds_writer(out_dir: Path) -> bool:
    return str(lock_path(out_dir)) in _HELD


def acquire_writer(out_dir: Path, *, wait: float, lang: str, run_id: str | None = None,
                   say: Callable[[str], None] | None = None, release_after_run: bool = False) -> bool:
    """Take the writer lock of ``out_dir``, waiting at most ``wait`` seconds with a visible line.

    Re-entrant within a process (the CLI takes it before the run, the run's resource again); returns
    whether this call took it (False: this process already held it). Raises :class:`OperationsError`
    naming the other writer when the wait runs out."""
    say = say or (lambda line: print(line, file=sys.stderr, flush=True))
    path = lock_path(out_dir)
    with _GUARD:
        if str(path) in _HELD:
            _HELD[str(path)].count += 1
            _HELD[str(path)].release_after_run |= release_after_run
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline, next_announce = time.monotonic() + max(wait, 0), 0.0
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if err.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
            now = time.monotonic()
            other = describe_holder(holder(out_dir), lang)
            if now >= deadline:
                raise OperationsError(t("operations.busy", lang, other=other, out=Path(out_dir).resolve()))
            if now >= next_announce:
                say(t("operations.waiting", lang, other=other, out=Path(out_dir).resolve(),
                      seconds=int(deadline - now)))
                next_announce = now + ANNOUNCE_EVERY_SECONDS
            time.sleep(0.2)
    except BaseException:
        os.close(fd)
        raise
    _write_holder(fd, run_id)
    with _GUARD:
        _HELD[str(path)] = _Hold(fd=fd, count=1, release_after_run=release_after_run)
    return True


def _write_holder(fd: int, run_id: str | None) -> None:
    data = json.dumps(identity(run_id), ensure_ascii=False).encode("utf-8")
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)


def note_run(out_dir: Path, run_id: str) -> None:
    """Record the Dagster run that now writes under the lock this process holds."""
    hold = _HELD.get(str(lock_path(out_dir)))
    if hold is not None:
        _write_holder(hold.fd, run_id)


def release_writer(out_dir: Path, *, run_finished: bool = False) -> None:
    """Give back one hold; the lock is released with the last. After a run, a hold the CLI took for
    that run (``release_after_run``) goes too, so a caller in the same process never keeps it."""
    key = str(lock_path(out_dir))
    with _GUARD:
        hold = _HELD.get(key)
        if hold is None:
            return
        hold.count -= 1
        if run_finished and hold.release_after_run and hold.count > 0:
            hold.count -= 1
            hold.release_after_run = False
        if hold.count > 0:
            return
        del _HELD[key]
    with contextlib.suppress(OSError):
        os.ftruncate(hold.fd, 0)
        fcntl.flock(hold.fd, fcntl.LOCK_UN)
    os.close(hold.fd)


@atexit.register
def _release_all() -> None:
    for key in list(_HELD):
        hold = _HELD.pop(key)
        with contextlib.suppress(OSError):
            os.ftruncate(hold.fd, 0)
            os.close(hold.fd)


# ------------------------------------------------------------------------------------------ dead runs
IN_PROGRESS = ("STARTING", "STARTED", "CANCELING")


def _run_pid(instance: dg.DagsterInstance, run) -> tuple[int | None, str | None, str | None]:
    tags = run.tags
    if tags.get(TAG_PID):
        return int(tags[TAG_PID]), tags.get(TAG_HOST), tags.get(TAG_PID_START) or None
    # A run launched by the UI or a sensor reports its process in an engine event.
    from dagster import DagsterEventType

    for record in instance.all_logs(run.run_id, of_type=DagsterEventType.ENGINE_EVENT)[:20]:
        message = record.message or ""
        if message.startswith("Started process for run (pid: "):
            with contextlib.suppress(ValueError):
                return int(message.split("pid: ")[1].rstrip(").")), None, None
    return None, None, None


def dead_runs(instance: dg.DagsterInstance, *, exclude: str | None = None) -> list:
    """Runs of the instance whose process is gone although they look in progress or hold pool slots.

    Called only with the writer lock held: a live writer holds the lock, so a run holding slots
    without it is dead, whatever its records say."""
    from dagster import DagsterRunStatus, RunsFilter

    statuses = [DagsterRunStatus[s] for s in IN_PROGRESS]
    candidates = {r.run_id: r for r in instance.get_runs(filters=RunsFilter(statuses=statuses))}
    with_slots = set(instance.event_log_storage.get_concurrency_run_ids())
    for run_id in with_slots - set(candidates):
        run = instance.get_run_by_id(run_id)
        if run is not None:
            candidates[run_id] = run
    here = socket.gethostname()
    dead = []
    now = time.time()
    for run_id, run in candidates.items():
        if run_id == exclude:
            continue
        pid, host, start = _run_pid(instance, run)
        if pid is not None and (host in (None, here)):
            if process_alive(pid, start):
                continue
        elif pid is not None:
            continue                               # another machine's run: not ours to judge
        elif run_id not in with_slots and run.job_name != CLI_JOB:
            # (an `mvk` run holds the lock from before its run exists until it exits: if we hold
            # the lock, a run of the CLI's job without a recorded process is dead at once)
            record = instance.get_run_record_by_id(run_id)
            created = record.create_timestamp.timestamp() if record else now
            if now - created < UNKNOWN_PROCESS_GRACE_SECONDS:
                continue
        dead.append(run)
    return dead


def reap_dead_runs(instance: dg.DagsterInstance, lang: str, *, exclude: str | None = None,
                   say: Callable[[str], None] | None = None) -> list[str]:
    """Mark dead runs failed and free their pool slots; says so in one line. Returns their ids."""
    say = say or (lambda line: print(line, file=sys.stderr, flush=True))
    reaped = []
    for run in dead_runs(instance, exclude=exclude):
        if not run.is_finished:
            instance.report_run_failed(run, message=t("operations.reaped_reason", lang))
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        reaped.append(run.run_id)
    if reaped:
        say(t("operations.reaped", lang, count=len(reaped), runs=", ".join(r[:8] for r in reaped)))
    return reaped


# ------------------------------------------------------------------------------------------ leftovers
def clear_leftovers(out_dir: Path, lang: str, say: Callable[[str], None] | None = None) -> list[Path]:
    """Remove what a killed run left beside the published files (with the writer lock held).

    ``site.new`` (a site being written) goes; ``site.old`` is the previous site: if the run died
    between the two renames of the swap it is put back, otherwise it goes. Half-written snapshots
    (``*.part``) and the data folders of an interrupted ``mvk rebuild`` go. The warehouse's WAL
    stays: it holds committed transactions that DuckDB replays on the next open."""
    say = say or (lambda line: print(line, file=sys.stderr, flush=True))
    out_dir = Path(out_dir)
    site, staging, previous = out_dir / "site", out_dir / "site.new", out_dir / "site.old"
    removed: list[Path] = []
    if previous.is_dir() and not site.exists():
        previous.rename(site)
        say(t("operations.site_restored", lang, path=previous))
    for leftover in (staging, previous, *out_dir.glob(f"{REBUILD_PREFIX}*"),
                     *(out_dir / "warehouse" / "snapshots").glob("*.part")):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        elif leftover.exists():
            leftover.chmod(0o644)
            leftover.unlink()
        else:
            continue
        removed.append(leftover)
    from reports.editions import clear_leftovers as clear_edition_leftovers  # a killed publish (issue 11)

    removed += clear_edition_leftovers(out_dir)
    if removed:
        say(t("operations.leftovers", lang, paths=", ".join(p.name for p in removed)))
    return removed


# ------------------------------------------------------------------------------------ the warehouse
DUCKDB_MAGIC_OFFSET, DUCKDB_MAGIC = 8, b"DUCK"
DUCKDB_MIN_BYTES = 3 * 4096    # the main header and two database headers


def warehouse_file(out_dir: Path) -> Path:
    return Path(out_dir) / "warehouse" / "warehouse.duckdb"


def snapshots_exist(out_dir: Path) -> bool:
    folder = Path(out_dir) / "warehouse" / "snapshots"
    return folder.is_dir() and any(p.suffix != ".part" for p in folder.iterdir())


def is_damage(err: BaseException) -> bool:
    text = str(err).lower()
    return not any(m in text for m in LOCK_MARKERS) and any(m in text for m in DAMAGE_MARKERS)


def is_lock_conflict(err: BaseException) -> bool:
    return any(m in str(err).lower() for m in LOCK_MARKERS)


def warehouse_problem(path: Path, lang: str) -> str | None:
    """Why the warehouse file cannot be used, or None. Reads every table once (DuckDB checks each
    block's checksum as it reads it), in one statement."""
    size = path.stat().st_size
    if size == 0:
        return t("operations.problem_empty", lang)
    with path.open("rb") as handle:
        head = handle.read(DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC))
    if head[DUCKDB_MAGIC_OFFSET:] != DUCKDB_MAGIC:
        return t("operations.problem_not_duckdb", lang)
    if size < DUCKDB_MIN_BYTES:
        return t("operations.problem_truncated", lang)
    try:
        with duckdb.connect(str(path), read_only=True) as conn:
            tables = conn.execute("select table_schema, table_name from information_schema.tables "
                                  "where table_type = 'BASE TABLE'").fetchall()
            # every column of every row (the row as one value), so that every block is read and its
            # checksum checked; one statement for all tables: one per table took 0.12 s for 85 tables,
            # this 0.04 s, on every command that opens the warehouse (issue 13)
            if tables:
                names = (f"{quote_identifier(schema)}.{quote_identifier(table)}" for schema, table in tables)
                conn.execute(" union all ".join(f"select sum(hash(t)) from {name} t" for name in names)).fetchall()
    except duckdb.Error as err:
        if is_lock_conflict(err):
            return None
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return first.replace(f' from file "{path}"', "").replace(f'"{path}"', "…")[:200]
    return None


def check_warehouse(out_dir: Path, lang: str) -> None:
    """Raise a one-line :class:`OperationsError` naming ``mvk rebuild`` if the warehouse is damaged,
    or missing while its snapshots are there (a deleted warehouse, not a first run)."""
    out_dir = Path(out_dir).resolve()
    path = warehouse_file(out_dir)
    if not path.exists():
        if snapshots_exist(out_dir) and (out_dir / "warehouse" / "snapshots" / "ledger.jsonl").exists():
            raise OperationsError(t("operations.warehouse_missing", lang, path=path, out=out_dir))
        return
    problem = warehouse_problem(path, lang)
    if problem:
        raise OperationsError(t("operations.warehouse_damaged", lang, path=path, problem=problem, out=out_dir))


# -------------------------------------------------------------------------------------- interrupts
_CURRENT: dict[str, object] = {}
_EXITING = threading.Lock()


def _fail_current_run(lang: str) -> None:
    """Mark the run this process executes failed and free its slots (best effort, before exiting)."""
    run_id, instance = _CURRENT.get("run_id"), _CURRENT.get("instance")
    if not run_id or instance is None:
        return
    with contextlib.suppress(Exception):
        run = instance.get_run_by_id(run_id)
        if run is not None and not run.is_finished:
            instance.report_run_failed(run, message=t("operations.interrupted", lang, signal="SIGINT/SIGTERM"))
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)


def _exit_interrupted(signum: int, lang: str) -> None:
    if not _EXITING.acquire(blocking=False):
        return                                  # the other path (handler or watchdog) is exiting
    name = signal.Signals(signum).name
    print(t("operations.interrupted", lang, signal=name), file=sys.stderr, flush=True)
    marking = threading.Thread(target=_fail_current_run, args=(lang,), daemon=True)
    marking.start()
    marking.join(timeout=3)          # never let a busy run database keep the process alive
    os._exit(128 + signum)


def install_interrupts(lang: str) -> None:
    """Ctrl-C and SIGTERM stop the command, also while it waits or a step hangs.

    Outside a Dagster run our handlers exit at once. Inside one, Dagster swaps in handlers that only
    note the signal for a checkpoint that the in-process executor ignores, so the signal used to do
    nothing. Python writes every signal's number to the wakeup file descriptor whichever handler is in
    place; a watchdog thread reads it and exits. Every write is atomic (a DuckDB transaction, a
    snapshot renamed into place, the site swapped), so exiting leaves nothing half-written, and the
    run is marked failed (or, if that cannot be done, the next start finds its process gone)."""
    if threading.current_thread() is not threading.main_thread() or _CURRENT.get("installed"):
        return
    if Path(sys.argv[0]).name != "mvk":
        return          # called in-process (tests, notebooks): the host program keeps its own Ctrl-C
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda s, _f: _exit_interrupted(s, lang))
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    _CURRENT["installed"] = True

    def watchdog() -> None:
        while True:
            try:
                data = os.read(read_end, 16)
            except OSError:
                return
            for signum in data:
                if signum in (signal.SIGINT, signal.SIGTERM):
                    _exit_interrupted(signum, lang)

    threading.Thread(target=watchdog, name="mvk-interrupt-watchdog", daemon=True).start()


# ------------------------------------------------------------------------------------ entry points
def wait_seconds(value: str | int | None = None) -> int:
    if value in (None, ""):
        value = os.environ.get("MVK_WAIT", DEFAULT_WAIT_SECONDS)
    return max(int(value), 0)


STORAGE_KEYS = ("storage", "run_storage", "event_log_storage", "schedule_storage")


def instance_may_hold_runs(home: Path) -> bool:
    """False only when the instance at ``home`` has never recorded a run, so it has no dead run to fail:
    its storage is the template's (dagster_home/dagster.yaml: the local SQLite files with the run log of
    pipelines.run_log, nothing configured elsewhere) and its history folder holds no file. Opening a new
    instance creates its SQLite schemas (about 0.3 s); a refused file in a fresh output folder, and every
    test's first command there, no longer pays that just to find nothing (issue 13). Anything else
    (another storage, PostgreSQL say, or a file that cannot be read) opens it."""
    from indicators.yaml_text import load_yaml
    from pipelines.paths import DAGSTER_YAML_TEMPLATE

    def storage(config_file: Path) -> dict:
        config = load_yaml(config_file.read_text(encoding="utf-8")) if config_file.is_file() else {}
        return {key: config.get(key) for key in STORAGE_KEYS} if isinstance(config, dict) else {"": config}

    try:
        if storage(home / "dagster.yaml") != storage(DAGSTER_YAML_TEMPLATE):
            return True
    except Exception:        # noqa: BLE001 - unreadable: let Dagster open it and say what is wrong
        return True
    history = home / "history"
    return history.exists() and any(path.is_file() for path in history.rglob("*"))


def prepare_writer(out_dir: Path, lang: str, wait: int | None = None, *, check: bool = True) -> None:
    """Before a command writes ``out_dir``: Ctrl-C works, the writer lock is ours (after waiting at
    most ``wait`` seconds), dead runs of the instance are failed and their slots freed, leftovers of
    killed runs are cleared, and a damaged warehouse stops us with one line. Exits non-zero with one
    line when the lock cannot be had or the warehouse is damaged (``check``; ``mvk rebuild`` skips it)."""
    install_interrupts(lang)
    try:
        acquire_writer(out_dir, wait=wait_seconds(wait), lang=lang, release_after_run=True)
    except OperationsError as err:
        print(err, file=sys.stderr, flush=True)
        raise SystemExit(EXIT_ENVIRONMENT) from None
    except KeyboardInterrupt:
        _exit_interrupted(signal.SIGINT, lang)
    home = os.environ.get("DAGSTER_HOME")    # the instance DagsterInstance.get() opens (set by the CLI)
    if home is None or instance_may_hold_runs(Path(home)):
        with dg.DagsterInstance.get() as instance:
            reap_dead_runs(instance, lang)
    clear_leftovers(out_dir, lang)
    if check:
        try:
            check_warehouse(out_dir, lang)
        except OperationsError as err:
            print(err, file=sys.stderr, flush=True)
            raise SystemExit(EXIT_ENVIRONMENT) from None


class WarehouseResource(DuckDBResource):
    """The DuckDB warehouse, opened by one writer at a time, failing in one line when it is damaged.

    Set up once per run: takes the writer lock of the output folder (waiting ``wait_seconds``),
    tags the run with its process, fails dead runs and frees their slots, clears leftovers and checks
    the file, so a run started by the UI or the inbox sensor behaves like ``mvk run``. Connections
    retry only while another process holds DuckDB's own lock briefly (a reader); a damaged file
    fails at once with a line naming ``mvk rebuild`` instead of the base class's retry loop."""

    # The warehouse file is OUT/warehouse/warehouse.duckdb; the code location gives ``out_dir`` (as
    # ``dg.EnvVar("MVK_OUT_DIR")``, resolved when the run starts) and leaves ``database`` empty.
    database: str = ""
    out: str = ""
    wait_seconds: int = DEFAULT_WAIT_SECONDS
    lang: str = "sv"
    # The run's own DuckDB database, opened at its first use in a run and closed at the run's end: every
    # ``get_connection`` then gets a cursor of it (a connection of its own, with its own transactions, as
    # before) instead of opening the file again. Opening this warehouse costs about 12 ms (its catalogue
    # is read each time) and a run asked for about 160 connections (issue 13). Outside a run (no setup)
    # each call opens and closes the file as before, so nothing holds it afterwards.
    _run_database: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)
    _in_run: bool = PrivateAttr(default=False)

    @property
    def path(self) -> str:
        return self.database or str(warehouse_file(Path(self.out).resolve()))

    @property
    def out_dir(self) -> Path:
        return Path(self.path).resolve().parent.parent

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        run_id = context.run.run_id if context.run else None
        instance = context.instance
        try:
            first = acquire_writer(self.out_dir, wait=self.wait_seconds, lang=self.lang, run_id=run_id,
                                   say=lambda line: context.log.warning(line) if context.log else print(line))
        except OperationsError as err:
            raise dg.Failure(description=str(err)) from None
        self._in_run = True
        if run_id:
            note_run(self.out_dir, run_id)
        if instance is not None and run_id:
            _CURRENT.update(run_id=run_id, instance=instance)
            instance.add_run_tags(run_id, run_tags())
        if not first:
            return          # the command that started this run has done the rest (prepare_writer)
        if instance is not None and run_id:
            reap_dead_runs(instance, self.lang, exclude=run_id,
                           say=lambda line: context.log.warning(line) if context.log else print(line))
        clear_leftovers(self.out_dir, self.lang,
                        say=lambda line: context.log.info(line) if context.log else print(line))
        try:
            check_warehouse(self.out_dir, self.lang)
        except OperationsError as err:
            release_writer(self.out_dir, run_finished=True)
            raise dg.Failure(description=str(err)) from None

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        _CURRENT.pop("run_id", None)
        self._in_run = False
        try:
            if self._run_database is not None:
                self._run_database.close()      # the last checkpoint, before the lock is given up
        finally:
            self._run_database = None
            release_writer(self.out_dir, run_finished=True)

    def _damaged(self, err: BaseException) -> dg.Failure:
        problem = str(err).strip().splitlines()[0][:200] if str(err).strip() else type(err).__name__
        return dg.Failure(description=t("operations.warehouse_damaged", self.lang, path=self.path,
                                        problem=problem, out=self.out_dir))

    def _open(self) -> duckdb.DuckDBPyConnection:
        config = {"custom_user_agent": "dagster", **self.connection_config}
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)   # a first run of any one asset
        deadline = time.monotonic() + 30
        while True:
            try:
                return duckdb.connect(self.path, read_only=False, config=config)
            except duckdb.Error as err:
                if is_lock_conflict(err) and time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                raise self._damaged(err) if is_damage(err) else err from None

    @contextlib.contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._in_run:
            if self._run_database is None:
                self._run_database = self._open()
            conn = self._run_database.cursor()
        else:
            conn = self._open()
        try:
            yield conn
        except duckdb.Error as err:
            if is_damage(err):
                raise self._damaged(err) from err
            raise
        finally:
            conn.close()


@contextlib.contextmanager
def read_only(path: Path, seconds: float = 30) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for readers (``mvk validate``), waiting while a writer's step holds the
    file (DuckDB lets no reader in then), at most ``seconds``; a damaged file or a lock that does not
    go away ends the command with one line (exit 3), not a traceback."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn = duckdb.connect(str(path), read_only=True)
            break
        except duckdb.Error as err:
            if is_lock_conflict(err) and time.monotonic() < deadline:
                time.sleep(0.2)
                continue
            if is_damage(err) or is_lock_conflict(err):
                out_dir = Path(path).resolve().parent.parent
                lang = os.environ.get("MVK_LANG", "sv")
                message = ("operations.busy", {"other": describe_holder(holder(out_dir), lang), "out": out_dir}) \
                    if is_lock_conflict(err) else \
                    ("operations.warehouse_damaged", {"path": path, "problem": str(err).splitlines()[0][:200],
                                                      "out": out_dir})
                print(t(message[0], lang, **message[1]), file=sys.stderr, flush=True)
                raise SystemExit(EXIT_ENVIRONMENT) from None
            raise
    try:
        yield conn
    finally:
        conn.close()


def site_problems(site_dir: Path) -> list[str]:
    """How the published site differs from its own manifest (empty: it is exactly what was built).

    A reader must only ever see a whole edition; this is what the kill tests and an analyst after a
    crash check: every listed file there with its hash, nothing else beside them."""
    import hashlib

    site_dir = Path(site_dir)
    manifest_file = site_dir / "manifest.json"
    if not manifest_file.is_file():
        return [f"{manifest_file}: missing"]
    try:
        listed = json.loads(manifest_file.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError) as err:
        return [f"{manifest_file}: unreadable ({err})"]
    problems = []
    for rel, digest in listed.items():
        path = site_dir / rel
        if not path.is_file():
            problems.append(f"{rel}: missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"{rel}: differs from the manifest")
    present = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}
    problems += [f"{rel}: not in the manifest" for rel in sorted(present - set(listed) - {"manifest.json"})]
    return problems


@contextlib.contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All the statements of an asset's write in one DuckDB transaction: a kill or an error leaves
    the tables as they were before the asset started, never half of its write."""
    conn.begin()
    try:
        yield conn
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


# --------------------------------------------------------------------------- a resource that failed
RESOURCE_LABELS = {"duckdb": "operations.resource_duckdb", "paths": "operations.resource_paths"}


def resource_failure(result, lang: str) -> str | None:
    """One line for a run whose resources did not start (no step ran, so there is no step failure):
    which resource, and the cause's own first line; None when the run failed otherwise.

    Dagster reports it as ``RESOURCE_INIT_FAILURE`` and a run failure whose error is a
    ``DagsterResourceFunctionError`` naming the resource; a ``dg.Failure`` raised on purpose (the
    writer lock, a damaged warehouse) is already one line and is shown as it is."""
    import re

    from dagster import DagsterEventType

    name, cause = None, None
    for event in result.all_events:
        error = getattr(event.event_specific_data, "error", None)
        if error is None or event.event_type not in (DagsterEventType.RESOURCE_INIT_FAILURE,
                                                     DagsterEventType.RUN_FAILURE):
            continue
        while error is not None:
            found = re.search(r"on ResourceDefinition (\w+)", error.message or "")
            if found:
                name = name or found.group(1)
            elif error.cls_name != "DagsterResourceFunctionError" and cause is None:
                cause = error
            error = error.cause
    if cause is None:
        return None
    text = (cause.message or "").strip()
    first = text.splitlines()[0] if text else cause.cls_name
    if cause.cls_name == "Failure":
        return first.removeprefix("dagster._core.definitions.events.Failure: ")
    label = t(RESOURCE_LABELS[name], lang) if name in RESOURCE_LABELS else (name or "?")
    return t("operations.resource_failed", lang, resource=label, cause=first)
