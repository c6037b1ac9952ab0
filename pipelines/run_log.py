"""The run log (Dagster's event log) in SQLite, as Dagster stores it, at a fraction of the cost per step.

Every Dagster step stores about five events, and Dagster's ``SqliteEventLogStorage`` opens each write
through a new SQLAlchemy engine (created, connected, disposed) and commits it with a full ``fsync`` of
the write-ahead log: about 22 commits and 23 new engines per step, 57 ms a step against 10 ms on an
in-memory instance (benchmarks/orchestrator_cost.py, issue 13). This subclass changes only how the
files are opened, which takes a step to about 12 ms:

* one engine per file (shard), kept for the life of the storage, whose connections stay open between
  writes (SQLAlchemy's pool) and are closed by ``dispose()`` at the instance's end. Each write still
  commits, so other processes (the UI, the daemon, ``mvk status``) read what is committed as before; a
  connection per write (``NullPool``) cost 40 ms a step, most of it SQLite checkpointing the
  write-ahead log each time the last connection closed;
* ``PRAGMA synchronous=NORMAL`` on each connection. The files are already in WAL mode (Dagster sets
  it); with NORMAL a commit is durable against a crash or a kill of the process (the kill survey in
  tests/test_operations.py), and only an operating-system crash or power cut can lose the last
  commits before the next checkpoint, never corrupt the file. That is the right trade for a run log
  that the next run reconciles anyway (dead runs are failed, pipelines/operations.py).

The files, their layout (``$DAGSTER_HOME/history/runs/``) and their schema are Dagster's own, so a
folder written by either class is read by the other. ``dagster_home/dagster.yaml`` selects this class;
a team instance on PostgreSQL (``dagster.team.yaml``) does not use it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import sqlalchemy as db
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS


def _relaxed_sync(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class RunLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log with one engine per file and WAL commits without an fsync each."""

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: dict[str, db.Engine] = {}   # before the base class opens the index file
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls):
        # The instance folder, as ``{env: DAGSTER_HOME}``: the class must not store an absolute path in
        # the folder's dagster.yaml, which moves with the output folder (tests copy it, analysts move it).
        return {"dagster_home": dg.StringSource}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> RunLogStorage:
        return cls(str(Path(config_value["dagster_home"]) / "history" / "runs"), inst_data=inst_data)

    def _engine(self, shard: str) -> db.Engine:
        engine = self._engines.get(shard)
        if engine is None:
            # SQLAlchemy's default pool for a file: connections are kept open between writes (one is
            # used at a time, under _db_lock). Opening one and, above all, closing the last one (SQLite
            # then checkpoints the write-ahead log into the file) cost about 1 ms for each of the ~30
            # writes and reads of a step. Closed by dispose(), which the instance calls at its end.
            engine = db.create_engine(self.conn_string_for_shard(shard), pool_size=2, max_overflow=2,
                                      connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
            db.event.listen(engine, "connect", _relaxed_sync)
            self._engines[shard] = engine
        return engine

    def dispose(self) -> None:
        super().dispose()
        for engine in self._engines.values():    # closes the kept connections: the log is checkpointed
            engine.dispose()
        self._engines.clear()

    @contextlib.contextmanager
    def _connect(self, shard: str) -> Iterator[db.Connection]:
        # As the base class (same lock, same first-use schema check), without a new engine per write.
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn


@contextlib.contextmanager
def instance_at(dagster_home: Path):
    """The Dagster instance of a folder other than ``$DAGSTER_HOME`` (``mvk status`` reads an output
    folder's run history): its dagster.yaml names the folder as ``{env: DAGSTER_HOME}``, so the variable
    is set to it while the instance is opened."""
    saved = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(Path(dagster_home).resolve())
    try:
        with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
            yield instance
    finally:
        if saved is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = saved
