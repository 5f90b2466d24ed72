"""Reusable widgets: each in its own file, attributes in, messages out."""
