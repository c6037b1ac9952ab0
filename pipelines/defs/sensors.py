"""The inbox: files dropped into ``DATA_DIR/inbox/`` are validated, filed and loaded.

Each evaluation validates every file in the inbox exactly as ``mvk ingest`` does. A bad file is moved
to ``DATA_DIR/quarantine/`` with a report beside it and nothing runs; a good one is moved into its
source's folder and a run is requested for that source and everything downstream of it, nothing
else. The run key is the file's content hash, so the same file twice starts no second run.
"""

import dagster as dg

from indicators.intake import ValidatedSubmission, accept, destination, quarantine, validate_any
from indicators.readers import ReaderError
from pipelines.defs.ingest import source_asset_key
from pipelines.defs.programme import SUBMISSIONS_KEY
from pipelines.settings import FollowupPaths

INBOX = "inbox"


@dg.sensor(
    name="inbox_sensor",
    target=dg.AssetSelection.all(),
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Validates files dropped in DATA_DIR/inbox/, quarantines bad ones, loads good ones.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, paths: FollowupPaths) -> dg.SensorResult:
    inbox = paths.data_path / INBOX
    requests, skipped = [], []
    for path in sorted(inbox.glob("*")) if inbox.is_dir() else []:
        if not path.is_file() or path.name.startswith("."):
            continue
        try:
            validated = validate_any(path, data_dir=paths.data_path)
        except ReaderError as err:
            target = quarantine(path, err, paths.data_path, move=True)
            context.log.warning(f"{err.message(paths.lang)} → {target}")
            continue
        target, new = accept(path, destination(validated, paths.data_path), move=True)
        if not new:
            skipped.append(path.name)
            continue
        is_report = isinstance(validated, ValidatedSubmission)
        source = "programme" if is_report else validated.spec.id
        start = SUBMISSIONS_KEY if is_report else source_asset_key(source)
        selection = dg.AssetSelection.assets(start).downstream()
        keys = sorted(selection.resolve(context.repository_def.asset_graph), key=lambda k: k.to_user_string())
        requests.append(dg.RunRequest(run_key=f"{source}:{validated.sha256}", asset_selection=keys,
                                      tags={"mvk/file": target.name, "mvk/source": source}))
    return dg.SensorResult(run_requests=requests,
                           skip_reason=f"already loaded: {', '.join(skipped)}" if skipped and not requests else None)
