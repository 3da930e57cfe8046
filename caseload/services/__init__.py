"""Writes to cases and what happens on them, one module per entity. The write paths only
the legacy import uses are in caseload.legacy."""
