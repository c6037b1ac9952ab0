"""When a source's next data year is due, and whether it is overdue (the release calendar).

A source spec says in which months a data year is published (``release_months``), how many years
after the data year (``release_lag_years``: Brå's lethal violence for 2024 in March–April 2025, a
reconviction cohort four years later, Öppna jämförelser the same year) and how often a new data year
comes (``release_every_years``: 2 for Hälsa på lika villkor, 0 for irregular surveys). The next
release is due by the end of the last release month; after that day it is overdue. ``mvk status``,
the report's sources page and the Dagster freshness policies read the same facts from here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from indicators.sources import SourceSpec


@dataclass(frozen=True)
class Release:
    data_year: int          # the data year expected next
    first_day: date         # the first day of the first release month
    due: date               # the last day of the last release month

    def overdue(self, today: date) -> bool:
        return today > self.due


def next_release(spec: SourceSpec, latest_year: int | None) -> Release | None:
    """The next data year after ``latest_year`` and when it is due; None for irregular sources or
    sources without a calendar. Without any data yet, the first year of the spec is the one expected."""
    if spec.release_every_years <= 0 or not spec.release_months:
        return None
    data_year = spec.first_year if latest_year is None else latest_year + spec.release_every_years
    year = data_year + spec.release_lag_years
    first, last = min(spec.release_months), max(spec.release_months)
    return Release(data_year=data_year, first_day=date(year, first, 1),
                   due=date(year, last, calendar.monthrange(year, last)[1]))
