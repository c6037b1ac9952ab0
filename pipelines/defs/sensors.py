"""The inbox: a file dropped into ``DATA_DIR/inbox/`` becomes one run that files and loads it.

Evaluating the sensor changes nothing: it lists the inbox (names, sizes, content hashes), recognises
each file read-only as ``mvk validate`` does (``indicators.inbox.recognise``) and requests one run per
new file, keyed by its content hash (the same file twice is one run), for only the asset that loads
that kind of file: ``raw/<source>`` for a statistics file, ``programme/submissions`` for an agency
submission, ``evidence/documents`` for an agency document (PDF/DOCX) when the definitions have it.
The file's name and hash go in the run config (``pipelines.inbox_run.InboxFile``); the run validates
it, moves it into its folder or into the quarantine with its report, and loads it. An unrecognised
file gets a run of ``inbox_quarantine``, which sets it aside with the reason. Everything downstream
of the loaded asset follows by declarative automation (``pipelines.automation``), not from here.
"""

import time

import dagster as dg

from indicators.inbox import DOCUMENT, SOURCE, SUBMISSION, Recognised, inbox_files, recognise, sha256_of
from indicators.programme.identity_numbers import safe_file_name
from pipelines.defs.ingest import source_asset_key
from pipelines.defs.programme import SUBMISSIONS_KEY
from pipelines.inbox_run import CONFIG_FIELD, InboxFile, accepts_inbox_file, take_inbox_file
from pipelines.settings import FollowupPaths

DOCUMENTS_KEY = dg.AssetKey(["evidence", "documents"])
LOAD_JOB, QUARANTINE_JOB = "inbox_load", "inbox_quarantine"
# A file modified this recently may still be being copied in: the next evaluation takes it.
SETTLE_SECONDS = 3
RUN_KEY_TAG, SENSOR_TAG = "dagster/run_key", "dagster/sensor_name"

inbox_load = dg.define_asset_job(
    LOAD_JOB, selection=dg.AssetSelection.all(),
    description="Runs started by inbox_sensor: the one asset that loads the dropped file (run config: the file).")


@dg.op(name="quarantine_inbox_file", description="Sets an unrecognised inbox file aside with its report.")
def quarantine_inbox_file(context: dg.OpExecutionContext, config: InboxFile, paths: FollowupPaths) -> None:
    take_inbox_file(context, config, paths, Recognised(None))


@dg.job(name=QUARANTINE_JOB, description="Runs started by inbox_sensor for a file nothing recognises.")
def inbox_quarantine() -> None:
    quarantine_inbox_file()


def _target(recognised: Recognised, graph) -> dg.AssetKey | None:
    """The asset that loads this kind of file, if the definitions have it and it takes an inbox file."""
    key = {SOURCE: source_asset_key(recognised.source_id or ""), SUBMISSION: SUBMISSIONS_KEY,
           DOCUMENT: DOCUMENTS_KEY}.get(recognised.kind or "")
    if key is None or not graph.has(key) or not accepts_inbox_file(graph.assets_def_for_key(key)):
        return None
    return key


def _earlier_run(context: dg.SensorEvaluationContext, run_key: str) -> dg.DagsterRun | None:
    """A run this sensor already started for the same content (None: none, or no instance)."""
    try:
        instance = context.instance
    except dg.DagsterInvariantViolationError:
        return None
    runs = instance.get_runs(filters=dg.RunsFilter(tags={SENSOR_TAG: "inbox_sensor", RUN_KEY_TAG: run_key}),
                             limit=1)
    return runs[0] if runs else None


def _note_on_earlier(shown: str, run: dg.DagsterRun) -> str:
    """Why a file in the inbox gets no run: its content had one (Dagster never reuses a run key)."""
    if run.status == dg.DagsterRunStatus.SUCCESS:
        return f"{shown}: same content as run {run.run_id[:8]}, which handled it; delete the copy from the inbox"
    if run.is_finished:
        return f"{shown}: its run {run.run_id[:8]} ended {run.status.value} before filing it; re-execute that run"
    return f"{shown}: its run {run.run_id[:8]} is {run.status.value}"


@dg.sensor(
    name="inbox_sensor",
    jobs=[inbox_load, inbox_quarantine],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="One run per new file in DATA_DIR/inbox/: the run validates, files or quarantines, and loads it.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, paths: FollowupPaths) -> dg.SensorResult:
    graph = context.repository_def.asset_graph
    requests, notes = [], []
    now = time.time()
    for path in inbox_files(paths.data_path):
        shown = safe_file_name(path.name)     # tags, config and tick messages are kept: no identity number
        stat = path.stat()
        if now - stat.st_mtime < SETTLE_SECONDS:
            notes.append(f"{shown}: still arriving")
            continue
        sha = sha256_of(path)
        earlier = _earlier_run(context, sha)
        if earlier is not None:
            notes.append(_note_on_earlier(shown, earlier))
            continue
        recognised = recognise(path)
        key = _target(recognised, graph)
        config = {CONFIG_FIELD: shown, "sha256": sha}
        tags = {"mvk/file": shown, "mvk/bytes": str(stat.st_size)}
        if key is not None:
            op_name = graph.assets_def_for_key(key).op.name
            tags["mvk/source"] = recognised.source_id or key.to_user_string()
            requests.append(dg.RunRequest(run_key=sha, job_name=LOAD_JOB, asset_selection=[key], tags=tags,
                                          run_config={"ops": {op_name: {"config": config}}}))
        elif recognised.kind == DOCUMENT:
            notes.append(f"{shown}: a document, and no evidence/documents asset takes inbox files here")
        else:
            requests.append(dg.RunRequest(run_key=sha, job_name=QUARANTINE_JOB, tags=tags,
                                          run_config={"ops": {"quarantine_inbox_file": {"config": config}}}))
    return dg.SensorResult(run_requests=requests,
                           skip_reason="; ".join(notes) if notes and not requests else None)
