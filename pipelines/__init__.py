"""Dagster wiring and the ``mvk`` command line; domain logic lives in ``indicators`` and ``reports``."""

import warnings

# Dagster 1.13.27's own SensorDefinition.with_attributes passes its beta `owners` parameter whenever
# definitions holding a sensor are merged, so every `mvk run` printed a BetaWarning for a parameter this
# project never sets. Only that message is silenced; every other Dagster warning still shows.
warnings.filterwarnings("ignore", message="Parameter `owners` of initializer `SensorDefinition", category=Warning)
