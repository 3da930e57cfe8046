"""One tagged PDF written from several WeasyPrint documents, one after another.

WeasyPrint lays out and writes a document whole: every page's boxes, every content stream
and every structure element are held until the file is written, and tagging looks up each
element's page in a list rebuilt for every element, so time grows with pages x elements. A
long return is therefore laid out as several short documents, and `PdfJoiner` takes each as
it is written (Document.write_pdf's `finisher` hands over the finished pydyf objects),
renumbers its objects, keeps them as bytes and lets the document go. The joined file has
one page tree, one structure tree (each document's top-level elements in turn under one
Document element, the parent tree keyed by the pages' places in the joined file) and one
outline made from every page's bookmarks, as one document's would be.

Each document keeps its own resources and embedded font subsets. Links and form fields
(annotations) are not carried over: the return has none, and a document with any is
refused rather than joined with broken structure parents.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pydyf
from weasyprint import Document

#: How pydyf writes a reference to an object: "12 0 R".
REFERENCE = re.compile(rb"(\d+) 0 R")
#: CSS pixels to PDF points (WeasyPrint's 0.75: 72 points an inch, 96 pixels).
SCALE = 0.75


class _Taken(Exception):
    """Raised by the finisher once the joiner holds a document's objects, so that
    WeasyPrint does not go on to write a file nobody reads."""


class _Written(pydyf.Object):
    """An object of the joined file, already serialised under its new number."""

    def __init__(self, data: bytes, *, compressible: bool) -> None:
        super().__init__()
        self._data = data
        self._compressible = compressible

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def compressible(self) -> bool:
        return self._compressible


@dataclass
class _Bookmark:
    level: int
    label: str
    page: int
    x: float
    y: float
    open: bool
    children: list[_Bookmark] = field(default_factory=list)


class PdfJoiner:
    """Add rendered WeasyPrint documents in order with `add`, then `write` the file."""

    def __init__(self) -> None:
        self.pdf = pydyf.PDF()
        self.page_count = 0
        self._bookmarks: list[_Bookmark] = []
        self._parts = 0
        self._parent_tree = pydyf.Dictionary({"Nums": pydyf.Array()})
        self.pdf.add_object(self._parent_tree)
        self._root = pydyf.Dictionary(
            {"Type": "/StructTreeRoot", "ParentTree": self._parent_tree.reference}
        )
        self.pdf.add_object(self._root)
        self._document = pydyf.Dictionary(
            {"Type": "/StructElem", "S": "/Document", "K": pydyf.Array()}
        )
        self._document["P"] = self._root.reference
        self.pdf.add_object(self._document)
        self._root["K"] = pydyf.Array([self._document.reference])
        self.pdf.catalog["StructTreeRoot"] = self._root.reference

    def add(self, document: Document) -> None:
        """Write `document`'s pages (tagged) after those added before."""
        for number, page in enumerate(document.pages, start=self.page_count):
            self._take_bookmarks(page, number)
        try:
            document.write_pdf(pdf_tags=True, finisher=self._finish)
        except _Taken:
            self.page_count += len(document.pages)
            self._parts += 1
            return
        raise RuntimeError("WeasyPrint wrote the PDF without handing it over.")

    def write(self) -> bytes:
        self._write_outline()
        output = io.BytesIO()
        self.pdf.write(output, version=b"1.7", identifier=False, compress=True)
        return output.getvalue()

    # --- One document --------------------------------------------------------------------

    def _take_bookmarks(self, page: Any, number: int) -> None:
        # Kept here, in the joined file's page numbers, and taken off the page so that
        # WeasyPrint writes no outline of its own for this part. Its anchors go too: a
        # part's named destinations would point into that part alone.
        for level, label, (x, y), state in page.bookmarks:
            self._bookmarks.append(
                _Bookmark(
                    level=level,
                    label=label,
                    page=number,
                    x=x * SCALE,
                    y=(page.height - y) * SCALE,
                    open=state != "closed",
                )
            )
        page.bookmarks = []
        page.anchors = {}

    def _finish(self, document: Document, part: pydyf.PDF) -> None:
        root = _dereference(part, part.catalog["StructTreeRoot"])
        part_document = _dereference(part, root["K"][0])
        parent_tree = _dereference(part, root["ParentTree"])
        page_numbers = [int(number) for number in part.pages["Kids"][::3]]
        first_page = self.page_count
        nums = list(parent_tree["Nums"])
        if len(nums) != 2 * len(page_numbers):
            raise ValueError("A part with links or form fields cannot be joined.")

        # The part's own tree roots become the joined file's; every other object is kept
        # under the next free number.
        renumbered = {
            part.pages.number: self.pdf.pages.number,
            part_document.number: self._document.number,
        }
        left_out = {0, part.catalog.number, root.number, parent_tree.number, *renumbered}
        kept = [obj for obj in part.objects if obj.number not in left_out]
        for offset, obj in enumerate(kept):
            renumbered[obj.number] = len(self.pdf.objects) + offset
        rewrite = _Rewriter(renumbered, id_prefix=f"p{self._parts}-")

        for number in page_numbers:
            page = part.objects[number]
            page["StructParents"] = first_page + page["StructParents"]
        pages = set(page_numbers)
        for obj in kept:
            is_page = obj.number in pages
            rewrite.object(obj)
            written = _Written(obj.data, compressible=obj.compressible)
            (self.pdf.add_page if is_page else self.pdf.add_object)(written)
            assert written.number == obj.number
        for key, elements in zip(nums[::2], nums[1::2], strict=True):
            self._parent_tree["Nums"].extend([first_page + key, rewrite.value(elements)])
        self._document["K"].extend(rewrite.value(part_document["K"]))
        if not self._parts:
            for key in ("Lang", "MarkInfo", "ViewerPreferences"):
                if key in part.catalog:
                    self.pdf.catalog[key] = part.catalog[key]
            for key, value in part.info.items():
                self.pdf.info[key] = value
        raise _Taken

    # --- The outline ---------------------------------------------------------------------

    def _write_outline(self) -> None:
        roots: list[_Bookmark] = []
        open_parents: list[_Bookmark] = []
        for bookmark in self._bookmarks:
            while open_parents and open_parents[-1].level >= bookmark.level:
                open_parents.pop()
            (open_parents[-1].children if open_parents else roots).append(bookmark)
            open_parents.append(bookmark)
        if not roots:
            return
        outlines = pydyf.Dictionary({"Type": "/Outlines"})
        self.pdf.add_object(outlines)
        first, last, count = self._outline_items(roots, outlines)
        outlines["First"], outlines["Last"], outlines["Count"] = first, last, count
        self.pdf.catalog["Outlines"] = outlines.reference

    def _outline_items(
        self, bookmarks: list[_Bookmark], parent: pydyf.Dictionary
    ) -> tuple[bytes, bytes, int]:
        """Write the items of one level; their first and last references and how many
        items show when the level is open."""
        items: list[pydyf.Dictionary] = []
        count = len(bookmarks)
        page_references = self.pdf.page_references
        for bookmark in bookmarks:
            item = pydyf.Dictionary(
                {
                    "Title": pydyf.String(bookmark.label),
                    "Parent": parent.reference,
                    "Dest": pydyf.Array(
                        [page_references[bookmark.page], "/XYZ", bookmark.x, bookmark.y, 0]
                    ),
                }
            )
            self.pdf.add_object(item)
            if items:
                item["Prev"] = items[-1].reference
                items[-1]["Next"] = item.reference
            if bookmark.children:
                first, last, shown = self._outline_items(bookmark.children, item)
                item["First"], item["Last"] = first, last
                item["Count"] = shown if bookmark.open else -shown
                count += shown if bookmark.open else 0
            items.append(item)
        return items[0].reference, items[-1].reference, count


def _dereference(part: pydyf.PDF, reference: bytes) -> Any:
    match = REFERENCE.fullmatch(reference)
    if match is None:
        raise ValueError("Not a reference.")
    return part.objects[int(match[1])]


class _Rewriter:
    """Points a part's references at the objects' numbers in the joined file, in place, and
    gives its table header cells IDs no other part uses (WeasyPrint makes them from object
    numbers). Each container is rewritten once, however many objects hold it."""

    def __init__(self, renumbered: dict[int, int], *, id_prefix: str) -> None:
        self.renumbered = renumbered
        self.id_prefix = id_prefix
        self.seen: set[int] = set()

    def object(self, obj: Any) -> None:
        obj.number = self.renumbered[obj.number]
        if isinstance(obj, pydyf.Stream):
            # Only the stream's dictionary holds references; its content names resources.
            self.value(obj.extra)
        else:
            self.value(obj)

    def value(self, value: Any) -> Any:
        if isinstance(value, bytes | str):
            return self._reference(value)
        if isinstance(value, dict | list) and id(value) not in self.seen:
            self.seen.add(id(value))
            items: Iterator[tuple[Any, Any]] = (
                iter(value.items()) if isinstance(value, dict) else enumerate(value)
            )
            for key, item in list(items):
                value[key] = self.value(item)
            if isinstance(value, dict):
                self._prefix_ids(value)
        return value

    def _prefix_ids(self, element: dict[str, Any]) -> None:
        if isinstance(element.get("ID"), pydyf.String):
            element["ID"] = pydyf.String(self.id_prefix + element["ID"].string)
        headers = element.get("Headers")
        if isinstance(headers, list):
            headers[:] = [pydyf.String(self.id_prefix + header.string) for header in headers]

    def _reference(self, value: bytes | str) -> bytes | str:
        raw = value.encode() if isinstance(value, str) else value
        match = REFERENCE.fullmatch(raw)
        if match is None:
            return value
        return f"{self.renumbered[int(match[1])]} 0 R".encode()
