"""The run side of the inbox: the file a run was started for is validated and filed (or quarantined) first.

``inbox_sensor`` only looks at ``DATA_DIR/inbox/`` and requests a run per new file, for the one asset
that loads that kind of file, with the file's name and content hash in the run config
(:class:`InboxFile`). The asset's first step is :func:`take_inbox_file`: with the writer lock already
held by the run's warehouse resource it validates the file, moves it into its folder and then loads
as usual; a refused file is moved to the quarantine with its report and the step fails with that
reason in one line; a file that is valid alone but refused against what is loaded (it would withdraw
cells) is taken out of its folder and ledger again and quarantined the same way
(:func:`set_aside_if_refused`). An unrecognised file gets a run of the ``inbox_quarantine`` job, which does only
the quarantining. The same config is empty in every other run (``mvk run``, the UI, automation), and
then nothing here happens.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from pydantic import Field

from indicators.i18n import t
from indicators.inbox import INBOX, Recognised, Refused, inbox_files, receive, sha256_of
from indicators.intake import quarantine
from indicators.provenance import provenance_path
from indicators.readers import ReaderError
from indicators.warehouse import LEDGER
from pipelines.settings import FollowupPaths

CONFIG_FIELD = "inbox_file"


class InboxFile(dg.Config):
    """Set by ``inbox_sensor`` on the run it requests; empty in every other run."""

    inbox_file: str = Field(default="", description="A file in DATA_DIR/inbox/ to validate and file before "
                            "loading (its name as shown: an identity number in it is masked).")
    sha256: str = Field(default="", description="Its content hash when the sensor saw it (the run key); the run "
                        "takes the inbox file with this content.")


def accepts_inbox_file(assets_def: dg.AssetsDefinition) -> bool:
    """Whether the asset's step takes :class:`InboxFile` (so a sensor may pass it a file)."""
    schema = assets_def.op.config_schema
    fields = getattr(getattr(schema, "config_type", None), "fields", None) or {}
    return CONFIG_FIELD in fields


def _the_file(config: InboxFile, paths: FollowupPaths) -> Path | None:
    """The inbox file with the content the sensor saw (found by its hash, so the real name never has to
    be in the run's config or tags, where an identity number in it would be kept), or by its name
    when a run from the launchpad gives only that."""
    if config.sha256:
        return next((p for p in inbox_files(paths.data_path) if sha256_of(p) == config.sha256), None)
    path = paths.data_path / INBOX / Path(config.inbox_file).name       # a name, never a path elsewhere
    return path if path.is_file() else None


def take_inbox_file(context: dg.OpExecutionContext | dg.AssetExecutionContext, config: InboxFile,
                    paths: FollowupPaths, expected: Recognised) -> Path | None:
    """File the run's inbox file, if it has one; returns where it went. Raises ``dg.Failure`` (one line,
    after quarantining it) when it is refused."""
    if not config.inbox_file:
        return None
    lang = paths.lang
    path = _the_file(config, paths)
    if path is None:
        context.log.info(t("operations.inbox_gone", lang, file=config.inbox_file))   # e.g. a re-executed run
        return None
    try:
        received = receive(path, paths.data_path, expected=expected)
    except Refused as refused:
        raise dg.Failure(description=t("operations.inbox_refused", lang, message=refused.error.message(lang),
                                       target=refused.target)) from None
    context.log.info(t("operations.inbox_filed" if received.new else "operations.inbox_known", lang,
                       file=path.name, target=received.path))
    return received.path


def set_aside_if_refused(taken: Path | None, error: ReaderError, paths: FollowupPaths) -> str:
    """After the inbox file was filed, loading it was refused against what is loaded already (it
    would withdraw cells, its parts and totals disagree): take it out of its folder and its arrival
    ledger again and quarantine it with the reason, so that the source is not left failing on every
    run. Returns the sentence for the step's failure (naming the quarantine when it did this)."""
    message = error.message(paths.lang)
    if taken is None or error.file != taken.name or not taken.is_file():
        return message
    ledger = taken.parent / LEDGER
    if ledger.is_file():
        lines = ledger.read_text(encoding="utf-8").splitlines()
        for i in range(len(lines) - 1, -1, -1):
            if lines[i].split("\t")[0] == taken.name:
                del lines[i]
                break
        staged = ledger.with_name(ledger.name + ".part")
        staged.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        staged.replace(ledger)
    sidecar = provenance_path(taken)
    target = quarantine(taken, error, paths.data_path, move=True)
    if sidecar.is_file():
        sidecar.replace(provenance_path(target))
    return t("operations.inbox_refused", paths.lang, message=message, target=target)
