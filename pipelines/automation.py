"""Dagster's own scheduling on the same assets: freshness, eager automation, the annual edition.

* **Freshness.** Each source's release calendar in the catalogue (``release_months``) becomes a cron
  freshness policy on ``raw/<source>``: by the first day after its last release month the source must
  have been loaded since the first release month began, so the UI marks a source overdue when a
  release was expected and nothing was loaded. (Dagster judges by the last load, not by the data year;
  ``mvk status`` and the report's sources page judge by the data year.) Irregular sources
  (``release_every_years: 0``) get none.
* **Eager automation.** Every asset built from others materialises when one of its parents has, so
  a run that loads one source is enough (the inbox sensor's runs request only ``raw/<source>``): with
  ``dg dev`` or the daemon running, the automation sensor ``followup_automation`` (on by default)
  carries the change downstream.
* **The annual edition**: a schedule that rebuilds everything on a configurable date
  (``MVK_EDITION_SCHEDULE``, a cron line, Europe/Stockholm; default 1 April 06:00), stopped until
  someone turns it on in the UI.
"""

from __future__ import annotations

import os
import warnings
from datetime import date

import dagster as dg

from indicators.sources import SourceSpec, load_sources

DEFAULT_EDITION_SCHEDULE = "0 6 1 4 *"
TIMEZONE = "Europe/Stockholm"


def freshness_policy(spec: SourceSpec) -> dg.FreshnessPolicy | None:
    """The source's release window as a cron freshness policy, or None for an irregular source."""
    months = sorted(set(spec.release_months))
    if not months or spec.release_every_years == 0:
        return None
    first, last = months[0], months[-1]
    after = last % 12 + 1
    window = date(2025 + (after <= first), after, 1) - date(2025, first, 1)   # a non-leap reference year
    return dg.FreshnessPolicy.cron(deadline_cron=f"0 0 1 {after} *", lower_bound_delta=window, timezone=TIMEZONE)


def with_automation(defs: dg.Definitions) -> dg.Definitions:
    policies = {dg.AssetKey(["raw", source_id]): freshness_policy(spec) for source_id, spec in load_sources().items()}

    def adjust(spec: dg.AssetSpec) -> dg.AssetSpec:
        if spec.key in policies:
            policy = policies[spec.key]
            return spec.replace_attributes(freshness_policy=policy) if policy else spec
        if spec.deps:
            return spec.replace_attributes(automation_condition=dg.AutomationCondition.eager())
        return spec

    with warnings.catch_warnings():   # "preview" API; dagster is pinned exactly, tests cover the result
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return defs.map_resolved_asset_specs(func=adjust)


def edition_schedule() -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="annual_edition",
        cron_schedule=os.environ.get("MVK_EDITION_SCHEDULE", DEFAULT_EDITION_SCHEDULE),
        execution_timezone=TIMEZONE,
        target=dg.AssetSelection.all(),
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="The annual edition: every asset rebuilt on the date in MVK_EDITION_SCHEDULE (off by default).",
    )




def automation_sensor() -> dg.AutomationConditionSensorDefinition:
    """Evaluates the eager conditions (Dagster's default automation sensor starts stopped)."""
    return dg.AutomationConditionSensorDefinition(
        "followup_automation",
        target=dg.AssetSelection.all(),
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=30,
        description="Brings everything downstream of a newly loaded asset up to date (eager conditions).",
    )
