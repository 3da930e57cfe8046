"""The legacy importer: loads a history in the format of shared/spec/import-format.md.

`import_legacy(path, fund_total_pence=..., dry_run=...)` reads a folder of CSV files, a
.zip of one, or an .xlsx workbook; checks every cell of every file and every reference
between them before writing anything (each distinct cell read once, the stored records
each table names fetched once); then writes, in one transaction, as the system user, so
each record's history says the import made it. It returns an ImportResult that the
management command (and the managers' upload page) only has to format.

Every record keeps its legacy id. What is new is created file by file in bulk, by the
importer-only services (caseload.legacy.bulk, enterprise_fund.legacy), which check each
batch in sets and insert it with a creation history row for each record: a few queries a
file, whatever its rows. A record that is already in the database with the same values is
left alone (no save, no history row), so importing the same files twice changes nothing;
a record whose values differ is corrected through the services, one by one.
"""

from legacy_import.importer.result import FileCounts, ImportResult
from legacy_import.importer.writing import import_legacy

__all__ = ["FileCounts", "ImportResult", "import_legacy"]
