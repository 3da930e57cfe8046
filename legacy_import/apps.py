from django.apps import AppConfig


class LegacyImportConfig(AppConfig):
    """The importer of the legacy history (shared/spec/import-format.md), its runs and upload
    pages; the only caller of the importer-only write paths."""

    name = "legacy_import"
    verbose_name = "Legacy import"
