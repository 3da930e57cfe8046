"""The OPCC's copy of a return: the small-number rules of shared/spec/kpi-definitions.md
("Small numbers"), so that no one can be singled out, directly or by subtracting one figure
from another. What the figure table (reporting.figure_table) says of each figure decides
how it is treated:

1. Primary: in a protected table (a breakdown or per-worker column marked "count"), a
   count from 1 to 4 is shown as "<5".
2. Small groups: an equity breakdown (a breakdown with `by`) whose cells add up to 1 to 9
   is shown with every cell, zeros included, as "*".
3. Complementary: in a protected table where, after rules 1 and 2, exactly one cell is
   "<5", the smallest other cell above zero (the first in the table's order when tied) is
   shown as "*", so that the hidden cell cannot be worked out from a total.
4. A percentage over 1 to 4 (its `of`), and a mean or median over 1 to 4 values, as "-".

Workers are labelled "Worker 1", "Worker 2", ... in email order, numbered over every
per-worker table together so that one worker has one label in the whole return.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from reporting.figure_table import FIGURES, Breakdown, Figure, Line, PerWorker

SMALL = range(1, 5)
SMALL_GROUP = range(1, 10)
HIDDEN = "<5"
COMPLEMENT = "*"
OVER_FEW = "-"


def opcc_document(document: dict[str, Any]) -> dict[str, Any]:
    """The return as the OPCC may see it: everything the OPCC receives (their screens, CSV
    and PDF, `quarterly_return --audience opcc`) is built from this."""
    return relabel_workers(suppress_small_numbers(document))


def suppress_small_numbers(document: dict[str, Any]) -> dict[str, Any]:
    """The OPCC's copy of `document` (which is left as it is)."""
    shown = copy.deepcopy(document)
    labels = worker_labels(document)
    for line in FIGURES:
        exact = document.get(line.section) or {}
        if line.key not in exact:
            continue  # nothing to show, so nothing to hide (a snapshot older than the figure)
        section = shown[line.section]
        if isinstance(line, PerWorker):
            section[line.key] = _per_worker(line, exact[line.key], labels)
        elif isinstance(line, Breakdown) and line.suppress == "count":
            if line.by is not None:
                section[line.key][line.by] = protect(exact[line.key][line.by], small_group=True)
            else:
                section[line.key] = protect(exact[line.key])
        elif line.suppress in ("percentage", "mean") and _over_few(line, document):
            section[line.key] = (
                dict.fromkeys(exact[line.key], OVER_FEW)
                if isinstance(exact[line.key], dict)
                else OVER_FEW
            )
    return shown


def protect(cells: dict[str, Any], *, small_group: bool = False) -> dict[str, Any]:
    """One protected table's cells (in its order) as the OPCC may see them: rules 1 to 3.
    `small_group` for an equity breakdown, which rule 2 covers."""
    counts = [value for value in cells.values() if _is_count(value)]
    if small_group and sum(counts) in SMALL_GROUP:
        return dict.fromkeys(cells, COMPLEMENT)
    shown = {
        key: HIDDEN if _is_count(value) and value in SMALL else value
        for key, value in cells.items()
    }
    if sum(1 for value in shown.values() if value == HIDDEN) == 1:
        others = [
            (value, index, key)
            for index, (key, value) in enumerate(shown.items())
            if isinstance(value, int) and not isinstance(value, bool) and value > 0
        ]
        if others:
            _, _, smallest = min(others)
            shown[smallest] = COMPLEMENT
    return shown


def worker_labels(document: dict[str, Any]) -> dict[str, str]:
    """Each worker's label, by the key that names them: "Worker 1", ... in email order,
    over every per-worker table of the document."""
    names: set[str] = set()
    for line in FIGURES:
        if isinstance(line, PerWorker):
            rows = (document.get(line.section) or {}).get(line.key) or []
            names |= {str(row[line.worker]) for row in rows}
    return {name: f"Worker {number}" for number, name in enumerate(sorted(names), 1)}


def _per_worker(line: PerWorker, rows: list[dict[str, Any]], labels: dict[str, str]) -> list[Any]:
    """A per-worker table: rows in email order, each count column one protected table."""
    ordered = sorted(rows, key=lambda row: str(row[line.worker]))
    shown = [{**row, line.worker: labels[str(row[line.worker])]} for row in ordered]
    for column in line.columns:
        if column.suppress != "count":
            continue
        cells = protect({str(index): row[column.key] for index, row in enumerate(ordered)})
        for index, row in enumerate(shown):
            row[column.key] = cells[str(index)]
    return shown


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _over_few(line: Line, document: dict[str, Any]) -> bool:
    """Whether the percentage or mean `line` is over 1 to 4 (its `of`: a key of its own
    section, or "section.key")."""
    of = getattr(line, "of", None)
    if of is None:
        return False
    section, _, key = of.rpartition(".")
    count = (document.get(section or line.section) or {}).get(key)
    return isinstance(line, Figure | Breakdown) and _is_count(count) and count in SMALL


def relabel_workers(doc: dict[str, Any]) -> dict[str, Any]:
    """The OPCC-facing copy: workers become "Worker 1", "Worker 2", ... in email order.

    suppress_small_numbers already numbers them; this is the safety net that makes sure no
    worker's email or name can reach the OPCC whatever that function does: any per-worker
    table with a row not so labelled is labelled again.
    """
    doc = dict(doc)
    for line in FIGURES:
        if not isinstance(line, PerWorker):
            continue
        section = dict(doc.get(line.section) or {})
        rows = section.get(line.key) or []
        labels = [str(row.get(line.worker, "")) for row in rows]
        if all(re.fullmatch(r"Worker [1-9][0-9]*", label) for label in labels):
            continue
        ordered = sorted(rows, key=lambda row: str(row.get(line.worker, "")))
        section[line.key] = [
            {**row, line.worker: f"Worker {number}"} for number, row in enumerate(ordered, 1)
        ]
        doc[line.section] = section
    return doc
