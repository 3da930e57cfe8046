"""What an import did, or would do: counts per file, warnings and errors."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileCounts:
    created: int = 0
    updated: int = 0


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do). Errors read `FILE:ROW:COLUMN: message`."""

    dry_run: bool = False
    counts: dict[str, FileCounts] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
