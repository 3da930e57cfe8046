"""Reading a folder of CSV files, a .zip of one, or an .xlsx workbook into tables of text."""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

#: An upload may unpack to at most this much, and no member may be compressed more than
#: MAX_RATIO times over: a 300 KB zip can otherwise hold gigabytes (IN-3).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200


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
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as error:
        row = len(records) + 1
        if "unexpected end of data" in str(error):
            errors.append(
                f"{name}:{row}:-: the file ends in the middle of a row: a quoted cell is not closed"
            )
        else:
            errors.append(f"{name}:{row}:-: cannot be read as CSV ({error})")
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


def _read_workbook(path: Path, errors: list[str], shown: str) -> list[RawTable]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (with paths) for a file that is not one
        errors.append(f"{shown}:-:-: cannot be read as an .xlsx workbook")
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


def _read_zip(path: Path, errors: list[str], shown: str) -> list[RawTable]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        errors.append(f"{shown}:-:-: cannot be read as a .zip")
        return []
    with archive:
        files = [info for info in archive.infolist() if not info.is_dir()]
        members = [
            info
            for info in files
            if info.filename.lower().endswith(".csv")
            and not info.filename.startswith("__MACOSX/")
            and not posixpath.basename(info.filename).startswith(".")
        ]
        if not files:
            errors.append(f"{shown}:-:-: the .zip is empty")
            return []
        if not members:
            errors.append(f"{shown}:-:-: the .zip holds no CSV files")
            return []
        if len({posixpath.dirname(info.filename) for info in members}) > 1:
            errors.append(
                f"{shown}:-:-: the CSV files must sit together, at the top of the .zip "
                "or in one folder"
            )
            return []
        if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
            errors.append(
                f"{shown}:-:-: the CSV files unpack to more than "
                f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB: split the history into smaller files"
            )
            return []
        for info in members:
            if info.file_size > MAX_RATIO * max(info.compress_size, 1):
                errors.append(
                    f"{posixpath.basename(info.filename)}:-:-: compressed more than "
                    f"{MAX_RATIO} times over: not accepted"
                )
                return []
        tables = []
        for info in members:
            name = posixpath.basename(info.filename)
            # Read as a stream, never more than the limit (the sizes in a zip can lie).
            with archive.open(info) as member:
                data = member.read(MAX_UNPACKED_BYTES + 1)
            if len(data) > MAX_UNPACKED_BYTES:
                errors.append(f"{name}:-:-: larger than {MAX_UNPACKED_BYTES // 2**20} MB")
                return []
            tables.append(_decode_csv(name, data, errors))
    return [table for table in tables if table is not None]


def read_source(path: Path, errors: list[str], *, shown_name: str = "") -> list[RawTable]:
    """The tables in a folder, a .zip or an .xlsx; problems are appended to `errors`.
    `shown_name` is the file's name as the user knows it (an upload is stored under another):
    messages name it, and never a path of the server."""
    shown = shown_name or path.name
    if path.is_dir():
        tables = [
            _decode_csv(item.name, item.read_bytes(), errors)
            for item in sorted(path.iterdir())
            if item.is_file() and item.suffix.lower() == ".csv"
        ]
        return [table for table in tables if table is not None]
    if not path.exists():
        errors.append(f"{shown}:-:-: no such file or folder")
        return []
    if path.suffix.lower() == ".zip":
        return _read_zip(path, errors, shown)
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path, errors, shown)
    errors.append(f"{shown}:-:-: give a folder of CSV files, a .zip of one or an .xlsx")
    return []
