"""YAML parsed once, the fast way: libyaml's safe loader where PyYAML was built with it.

The catalogue, the source specs, the register and the message catalogue are about seventy YAML files,
read at every start; the pure-Python loader spends about three seconds on them, libyaml a tenth of that,
with the same result (both are the safe loader).
"""

from __future__ import annotations

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> object:
    return yaml.load(text, Loader=LOADER)  # noqa: S506 — a safe loader, see LOADER
