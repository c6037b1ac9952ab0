"""Rendering of the report site: formatting, charts, pages, downloads and the manifest."""
