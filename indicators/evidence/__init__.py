"""Agency documents as evidence for the action programme's measures: storage, finder, review."""
