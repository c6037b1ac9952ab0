"""Dagster wiring and the ``mvk`` command line; domain logic lives in ``indicators`` and ``reports``."""
