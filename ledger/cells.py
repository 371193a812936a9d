"""Reading a cell of the ledger: :class:`CellError` (a cell that cannot be read, with a
code and a message), a cell's value as clean text (:func:`cell_text`, and folded for
matching), and the django-import-export widgets of the columns of text, ID numbers,
phone numbers, fixed choices (under their Chinese labels) and 是/否.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from import_export.widgets import Widget

from cadres.validators import normalize_resident_id


class CellError(ValueError):
    """A cell that cannot be read: ``code`` says why (for tests and tallies), the
    message says it to the user (rendered in the active language)."""

    def __init__(self, message: str | Promise, *, code: str, params: dict | None = None):
        self.message = message
        self.code = code
        self.params = params or {}
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


# Control characters other than tab and line breaks (C0 and DEL): a NUL cannot be kept
# in PostgreSQL text, and none of them belongs in a cell of a ledger.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = re.compile(r"\r\n?")
# Tabs and line breaks, in a column of one line.
SPACING = re.compile(r"[\t\r\n]+")


def cell_text(value: Any) -> str:
    """A cell as clean text: numbers without a trailing ".0", dates as 1950-03-15,
    surrounding spaces (also the full-width space) and control characters removed (tab
    and line breaks are kept, as \\n)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = CONTROL_CHARACTERS.sub("", str(value))
    return LINE_BREAKS.sub("\n", text).replace("\u3000", " ").strip()


# Full-width ASCII (！ to ～, as a Chinese input method types digits and letters) to ASCII.
HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def halfwidth_text(value: Any) -> str:
    """A cell as text with full-width digits, letters and signs made half-width, and
    nothing else changed: unlike NFKC, a superscript ² or a circled ① stays what it
    is, and no ID or phone number is made of them."""
    return cell_text(value).translate(HALFWIDTH)


def fold_text(value: Any) -> str:
    """Text for matching: full-width letters and digits made half-width, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value)))


class TextCell(Widget):
    """Free text: one line (names, addresses: a tab or line break becomes a space) or,
    with ``multiline``, several (notes)."""

    def __init__(self, *, multiline: bool = False):
        super().__init__()
        self.multiline = multiline

    def clean(self, value, row=None, **kwargs) -> str:
        text = cell_text(value)
        return text if self.multiline else SPACING.sub(" ", text)

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class IdNumberCell(TextCell):
    """身份证号. The number itself is checked by the model's validator (length, birth
    date, region, check digit); here only what a spreadsheet does to it: a number cell
    has lost its last digits, full-width digits and a lower-case x are made standard."""

    def clean(self, value, row=None, **kwargs) -> str:
        if isinstance(value, float):
            raise CellError(
                _(
                    "The ID number was stored as a number and has lost its last digits; "
                    "format the column as text and type it again."
                ),
                code="id_as_number",
            )
        return normalize_resident_id(re.sub(r"\s+", "", halfwidth_text(value)))


class PhoneCell(TextCell):
    """A phone number: full-width digits and signs made half-width and, as in an ID
    number, the spaces inside it removed (139 0000 0000 → 13900000000). A cell with more
    digits than one number has (two numbers) keeps its spaces, one between each."""

    def clean(self, value, row=None, **kwargs) -> str:
        text = halfwidth_text(value)
        if any(char.isdigit() and not char.isascii() for char in text):  # ², ١, ①…
            raise CellError(_("Write the phone number with the digits 0–9."), code="phone_digits")
        parts = text.split()
        if sum(char.isdigit() for char in text) <= PHONE_DIGITS:
            return "".join(parts)
        return " ".join(parts)


# The most digits one number has: a mobile with the country code (+86 139 0000 0000).
PHONE_DIGITS = 13


class ChoiceCell(Widget):
    """One of fixed choices, written under its Chinese label. The stored code (``cpc``)
    and the synonyms in ``aliases`` are accepted too."""

    def __init__(self, labels: dict[str, str], aliases: dict[str, str] | None = None):
        super().__init__()
        self.labels = labels
        self.lookup: dict[str, str] = {}
        for code, label in labels.items():
            self.lookup[fold_text(label)] = code
            self.lookup[code.lower()] = code
        for alias, code in (aliases or {}).items():
            self.lookup.setdefault(fold_text(alias), code)

    def clean(self, value, row=None, **kwargs) -> str:
        text = fold_text(value)
        if not text:
            return ""
        code = self.lookup.get(text) or self.lookup.get(text.lower())
        if code is None:
            raise CellError(
                _("“%(value)s” is not one of the allowed values: %(choices)s."),
                code="invalid_choice",
                params={"value": cell_text(value), "choices": "、".join(self.labels.values())},
            )
        return code

    def render(self, value, obj=None, **kwargs) -> str:
        return self.labels.get(value, value or "")


class YesNoCell(Widget):
    """是 or 否 (also Y/N, 1/0, √); empty is 否."""

    YES = {"是", "y", "yes", "1", "true", "√", "✓", "对"}
    NO = {"否", "n", "no", "0", "false", "×", "不"}

    def clean(self, value, row=None, **kwargs) -> bool:
        if isinstance(value, bool):
            return value
        text = fold_text(value).lower()
        if not text or text in self.NO:
            return False
        if text in self.YES:
            return True
        raise CellError(
            _("“%(value)s” is not one of the allowed values: %(choices)s."),
            code="invalid_choice",
            params={"value": cell_text(value), "choices": "是、否"},
        )

    def render(self, value, obj=None, **kwargs) -> str:
        return "是" if value else "否"
