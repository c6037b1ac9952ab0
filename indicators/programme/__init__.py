"""The action programme 2024–2026: its measure register (``register``), read from ``data/programme/``."""
