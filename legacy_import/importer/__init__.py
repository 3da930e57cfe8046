"""The legacy importer: loads a history in the format of shared/spec/import-format.md.

`import_legacy(path, fund_total_pence=..., dry_run=...)` reads a folder of CSV files, a
.zip of one, or an .xlsx workbook; checks every cell of every file and every reference
between them before writing anything; then writes through the services, in one
transaction, as the system user, so each record's history says the import made it. It
returns an ImportResult that the management command (and the managers' upload page)
only has to format.

Every record keeps its legacy id. A record that is already in the database with the same
values is left alone (no save, no history row), so importing the same files twice changes
nothing; a record whose values differ is corrected through the same services.
"""

from legacy_import.importer.result import FileCounts, ImportResult
from legacy_import.importer.writing import import_legacy

__all__ = ["FileCounts", "ImportResult", "import_legacy"]
