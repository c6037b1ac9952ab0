"""Domain logic of MVK-uppföljning: sources, readers, warehouse loading and indicators.

Nothing in this package imports Dagster, so every function here can be tested on its own.
"""
