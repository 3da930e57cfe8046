"""The caseload's forms, one module per entity."""
