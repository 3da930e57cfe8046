"""Reading a folder of CSV files, a .zip of one, or an .xlsx workbook into tables of text."""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path


@dataclass
class RawTable:
    name: str
    header: list[str]
    #: (spreadsheet row number, cells); the header is row 1.
    rows: list[tuple[int, list[str]]]


def _decode_csv(name: str, data: bytes, errors: list[str]) -> RawTable | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        errors.append(f"{name}:{row}:-: not UTF-8 text (save the sheet as CSV UTF-8)")
        return None
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        errors.append(f"{name}:-:-: cannot be read as CSV ({error})")
        return None
    return _table(name, records)


def _table(name: str, records: list[list[str]]) -> RawTable:
    header = [cell.strip() for cell in records[0]] if records else []
    while header and not header[-1]:
        header.pop()
    return RawTable(name, header, [(number, cells) for number, cells in enumerate(records, 1)][1:])


def _cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _read_workbook(path: Path, errors: list[str]) -> list[RawTable]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        errors.append(f"{path.name}:-:-: cannot be read as an .xlsx workbook ({error})")
        return []
    try:
        return [
            _table(
                f"{sheet.title}.csv",
                [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)],
            )
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def _read_zip(path: Path, errors: list[str]) -> list[RawTable]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        errors.append(f"{path.name}:-:-: cannot be read as a .zip ({error})")
        return []
    with archive:
        names = [
            name
            for name in archive.namelist()
            if name.lower().endswith(".csv")
            and not name.startswith("__MACOSX/")
            and not posixpath.basename(name).startswith(".")
        ]
        folders = {posixpath.dirname(name) for name in names}
        if len(folders) > 1 or any("/" in folder for folder in folders):
            errors.append(
                f"{path.name}:-:-: the CSV files must sit together, at the top of the .zip "
                "or in one folder"
            )
            return []
        tables = [
            _decode_csv(posixpath.basename(name), archive.read(name), errors) for name in names
        ]
    return [table for table in tables if table is not None]


def read_source(path: Path, errors: list[str]) -> list[RawTable]:
    """The tables in a folder, a .zip or an .xlsx; problems are appended to `errors`."""
    if path.is_dir():
        tables = [
            _decode_csv(item.name, item.read_bytes(), errors)
            for item in sorted(path.iterdir())
            if item.is_file() and item.suffix.lower() == ".csv"
        ]
        return [table for table in tables if table is not None]
    if not path.exists():
        errors.append(f"{path.name}:-:-: no such file or folder")
        return []
    if path.suffix.lower() == ".zip":
        return _read_zip(path, errors)
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path, errors)
    errors.append(f"{path.name}:-:-: give a folder of CSV files, a .zip of one or an .xlsx")
    return []
