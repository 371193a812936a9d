"""The parts of an uploaded .xlsx read within bounds, apart from the sheet itself: a
part of the zip parsed with expat 64 KB at a time (no DTD, no text node longer than a
cell, every element counted against the budget of the whole file), and the small
parts that say where the sheet is and how to read its cells: the relationships, the
workbook (its sheets and date system), the styles (which formats are dates) and the
shared strings.
"""

from __future__ import annotations

import contextlib
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from .upload_limits import (
    UploadLimits,
    cell_too_long,
    check_small_part,
    too_much_xml,
    unreadable_xlsx,
)

CHUNK_BYTES = 64 * 1024
# Transitional and strict OOXML.
SHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
RELATIONSHIP_ID_ATTRIBUTES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships id",
    "http://purl.oclc.org/ooxml/officeDocument/relationships id",
)
# Date formats built into Excel by number (the 27–36 and 50–58 ones in Chinese Excel:
# 2024年3月15日 and the like), besides those whose format code says so.
CJK_DATE_FORMAT_IDS = frozenset([*range(27, 37), *range(50, 59)])


class XmlBudget:
    """The XML elements left to parse for the whole file."""

    def __init__(self, limits: UploadLimits):
        self.left = limits.xml_elements
        self.limits = limits

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise too_much_xml(self.limits)


class XmlPart:
    """One XML part parsed with expat: subclasses get ``start(name, attrs)``,
    ``end(name)`` and ``text(data)`` with the local name of elements in the
    spreadsheet namespace (other elements arrive as ``None``, and are counted all the
    same). No text node may be longer than a cell, and no DTD is accepted (OOXML never
    has one, and entities are how XML is made to expand)."""

    def __init__(self, *, limits: UploadLimits, budget: XmlBudget):
        self.limits = limits
        self.budget = budget
        self.run = 0  # characters of the current text node
        self.done = False
        self._names: dict[str, str | None] = {}
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.buffer_size = CHUNK_BYTES
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.StartDoctypeDeclHandler = self._doctype

    def _local(self, name: str) -> str | None:
        local = self._names.get(name, "")
        if local == "":
            namespace, _space, local = name.rpartition(" ")
            local = local if namespace in SHEET_NAMESPACES or not namespace else None
            self._names[name] = local
        return local

    def _start(self, name, attrs):
        self.budget.spend()
        self.run = 0
        self.start(self._local(name), attrs)

    def _end(self, name):
        self.run = 0
        self.end(self._local(name))

    def _text(self, data):
        self.run += len(data)
        if self.run > self.limits.cell_chars:
            raise cell_too_long(self.limits)
        self.text(data)

    def _doctype(self, *args):
        raise unreadable_xlsx()

    def start(self, name, attrs) -> None:
        pass

    def end(self, name) -> None:
        pass

    def text(self, data) -> None:
        pass

    def feed(self, archive: zipfile.ZipFile, path: str) -> Iterator[None]:
        """Parse the part chunk by chunk, yielding after each, until it ends or
        ``done`` is set."""
        try:
            with archive.open(path) as stream:
                while not self.done:
                    chunk = stream.read(CHUNK_BYTES)
                    self.parser.Parse(chunk, not chunk)
                    yield
                    if not chunk:
                        break
        except (
            KeyError,
            expat.ExpatError,
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            RuntimeError,  # an encrypted part
            NotImplementedError,  # a compression method zipfile lacks
        ):
            raise unreadable_xlsx() from None

    def parse(self, archive: zipfile.ZipFile, path: str):
        """Parse a small part whole."""
        try:
            info = archive.getinfo(path)
        except KeyError:
            raise unreadable_xlsx() from None
        check_small_part(info)
        for _step in self.feed(archive, path):
            pass
        return self


class Relationships(XmlPart):
    """A ``.rels`` part: relationship id → (type, path in the zip)."""

    def __init__(self, *, source: str, **kwargs):
        super().__init__(**kwargs)
        self.folder = posixpath.dirname(source)
        self.targets: dict[str, tuple[str, str]] = {}

    def _local(self, name: str) -> str | None:
        return name.rpartition(" ")[2]  # the package namespace

    def start(self, name, attrs):
        if name != "Relationship" or attrs.get("TargetMode") == "External":
            return
        target = attrs.get("Target", "")
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(self.folder, target))
        )
        self.targets[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

    def of_type(self, kind: str) -> list[tuple[str, str]]:
        """(id, path) of the relationships whose type ends with ``/kind``."""
        return [
            (rid, path) for rid, (type_, path) in self.targets.items() if type_.endswith(f"/{kind}")
        ]


def rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class WorkbookPart(XmlPart):
    """workbook.xml: the sheets in order (name, relationship id) and the date system."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sheets: list[tuple[str, str]] = []
        self.epoch = WINDOWS_EPOCH

    def start(self, name, attrs):
        if name == "sheet":
            rid = next((attrs[key] for key in RELATIONSHIP_ID_ATTRIBUTES if key in attrs), "")
            self.sheets.append((attrs.get("name", ""), rid))
        elif name == "workbookPr" and attrs.get("date1904") in ("1", "true"):
            self.epoch = MAC_EPOCH


class StylesPart(XmlPart):
    """styles.xml: which cell formats (``s`` of a cell) show a number as a date."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.codes: dict[int, str] = {}
        self.cell_formats: list[int] = []
        self.in_cell_formats = False

    def start(self, name, attrs):
        if name == "numFmt":
            with contextlib.suppress(ValueError):
                self.codes[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            self.in_cell_formats = True
        elif name == "xf" and self.in_cell_formats:
            try:
                self.cell_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                self.cell_formats.append(0)

    def end(self, name):
        if name == "cellXfs":
            self.in_cell_formats = False

    def date_styles(self) -> frozenset[int]:
        dates = set()
        for index, format_id in enumerate(self.cell_formats):
            code = self.codes.get(format_id, BUILTIN_FORMATS.get(format_id))
            if code is None:
                is_date = format_id in CJK_DATE_FORMAT_IDS
            else:
                is_date = is_date_format(code) and not is_timedelta_format(code)
            if is_date:
                dates.add(index)
        return frozenset(dates)


class SharedStringsPart(XmlPart):
    """sharedStrings.xml: the text of each ``si`` (its runs joined, without the
    phonetic guide), none longer than a cell may be."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.length = 0
        self.phonetic = 0
        self.in_text = False

    def start(self, name, attrs):
        if name == "si":
            self.parts, self.length, self.phonetic = [], 0, 0
        elif name == "rPh":
            self.phonetic += 1
        elif name == "t" and not self.phonetic:
            self.in_text = True

    def end(self, name):
        if name == "si":
            self.strings.append("".join(self.parts))
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "t":
            self.in_text = False

    def text(self, data):
        if self.in_text:
            self.length += len(data)
            if self.length > self.limits.cell_chars:
                raise cell_too_long(self.limits)
            self.parts.append(data)
