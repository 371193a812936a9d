"""The cadre ledger's columns (台账列): the one definition of the spreadsheet that the
import reads and the export (reports) writes.

Each :class:`LedgerColumn` names its Chinese header (the file's contract: it stays in
Chinese whatever the interface language, like the names of the ethnic groups), the Cadre
attribute it fills, and a django-import-export widget that parses a cell on import
(``column.parse``; a bad value raises :class:`CellError` with a code and a message) and
renders one on export (``column.render(cadre)``). Choice values travel under fixed
Chinese labels; the parser also takes the stored codes and a few everyday synonyms.

Family contacts travel as three columns of the cadre's own row (紧急联系人姓名 / 关系 /
电话): the emergency contact. That keeps one row per cadre and works the same in .csv,
which has no second sheet.

For the export: columns read the cadre row, its ``unit`` (``select_related``) and the
``branch_name`` annotation that ``cadres.selectors.cadre_list`` adds. The emergency
contact columns read the annotations of :func:`with_ledger_annotations` when present
(one query for any number of rows) and fall back to ``cadre.family_contacts.all()``
otherwise; they are not in the export's default selection for that reason.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from import_export.widgets import ForeignKeyWidget, Widget
from openpyxl.utils.datetime import from_excel

from accounts.models import Unit
from branches.models import BranchRole, PartyBranch
from cadres.ethnicities import Ethnicity
from cadres.models import (
    CadreStatus,
    FamilyContact,
    Gender,
    Hardship,
    Health,
    LivingSituation,
    PoliticalStatus,
    Rank,
    RetirementKind,
)
from cadres.validators import normalize_resident_id

DATA_SHEET = "干部台账"
NOTES_SHEET = "说明"
CHOICES_SHEET = "选项"
# Years before this are typing slips (0950 for 1950), not dates of retirees' lives.
EARLIEST_YEAR = 1900


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


# Widgets ---------------------------------------------------------------------------------


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


DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# A year, or a year and month, written as people do: 2009, 2009年, 2009.02, 2009-2,
# 2009年2月, 200902.
YEAR_MONTH_PATTERN = re.compile(r"^(\d{4})\s*(?:([-/.年])\s*(\d{1,2})\s*月?)?\s*年?$")
YEAR_MONTH_DIGITS = re.compile(r"^(\d{4})(\d{2})$")
# Years a year-only value in a ledger can mean (retirees' births to today's dates).
PLAUSIBLE_YEARS = range(EARLIEST_YEAR, 2101)


class PartialDate(CellError):
    """A year (1988) or a year and month (2009.02) where a whole date belongs.
    ``months`` holds the month(s) it can mean: 1950.1 is what Excel shows of a number
    typed 1950.10, but also how people write January."""

    def __init__(self, value, *, year: int, months: tuple[int, ...]):
        self.year = year
        self.months = months
        super().__init__(
            _(
                "“%(value)s” looks like a year or a year and month; write the whole date, "
                "such as %(example)s."
            ),
            code="partial_date",
            params={
                "value": cell_text(value),
                "example": f"{year:04d}-{months[0] if months else 1:02d}-01",
            },
        )


def _partial_date(text: str, value) -> PartialDate | None:
    """The year or year and month that ``text`` (a cell's folded text) holds, if so."""
    match = YEAR_MONTH_PATTERN.match(text)
    if match:
        year, separator, month = match.groups()
    else:
        match = YEAR_MONTH_DIGITS.match(text)
        if not match:
            return None
        (year, month), separator = match.groups(), ""
    if int(year) not in PLAUSIBLE_YEARS:
        return None
    months: tuple[int, ...] = ()
    if month:
        candidates = [int(month)]
        if separator == "." and month == "1":
            # Excel shows a number typed 1988.10 as 1988.1: as a number, October first.
            candidates.insert(0 if isinstance(value, float) else 1, 10)
        months = tuple(number for number in candidates if 1 <= number <= 12)
        if not months:
            return None
    return PartialDate(value, year=int(year), months=months)


class DateCell(Widget):
    """A date: a real Excel date, 1950-03-15, 1950/3/15, 1950.3.15, 1950年3月15日 or
    19500315. Dates that do not exist (30 February) are refused, and so is a year or a
    year and month (1988, 2009.02: :class:`PartialDate`), typed as a number or text —
    read as Excel's day numbers they would be days of 1905."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs) -> datetime.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return self._plausible(value.date(), value)
        if isinstance(value, datetime.date):
            return self._plausible(value, value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            partial = _partial_date(str(value), value) if value >= 1 else None
            if partial is not None:
                raise partial
            if isinstance(value, int) and 10_000_000 <= value <= 99_999_999:
                text = str(value)
            elif 1 <= value < 100_000:  # an Excel serial day number
                return self._plausible(from_excel(value).date(), value)
            else:
                raise self._unreadable(value)
        else:
            text = fold_text(value)
        if not text:
            return None
        match = DATE_PATTERN.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
        if not match:
            raise _partial_date(text, value) or self._unreadable(value)
        year, month, day = (int(part) for part in match.groups())
        try:
            day_value = datetime.date(year, month, day)
        except ValueError:
            raise CellError(
                _("%(value)s is not a date that exists."),
                code="impossible_date",
                params={"value": cell_text(value)},
            ) from None
        return self._plausible(day_value, value)

    def _plausible(self, day: datetime.date, value) -> datetime.date:
        if day.year < EARLIEST_YEAR:
            raise CellError(
                _("%(value)s is not a date that exists."),
                code="impossible_date",
                params={"value": cell_text(value)},
            )
        return day

    def _unreadable(self, value) -> CellError:
        return CellError(
            _("“%(value)s” is not a date; write it like 1950-03-15."),
            code="invalid_date",
            params={"value": cell_text(value)},
        )

    def render(self, value, obj=None, **kwargs):
        return value


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


class UnitLookup:
    """The units by code and by name, read once for a whole file."""

    def __init__(self, units: Iterable[Unit]):
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[str, list[Unit]] = {}
        for unit in units:
            self.by_code[fold_text(unit.code)] = unit
            self.by_name.setdefault(fold_text(unit.name), []).append(unit)
            if unit.short_name:
                self.by_name.setdefault(fold_text(unit.short_name), []).append(unit)

    @classmethod
    def load(cls) -> UnitLookup:
        return cls(Unit.objects.only("id", "name", "short_name", "code", "parent_id"))


class UnitCell(ForeignKeyWidget):
    """所在单位: the unit's name (or short name, or code, which is unique)."""

    def __init__(self):
        super().__init__(Unit, field="name")

    def clean(self, value, row=None, units: UnitLookup | None = None, **kwargs) -> Unit | None:
        text = fold_text(value)
        if not text:
            return None
        units = units or UnitLookup.load()
        if text in units.by_code:
            return units.by_code[text]
        found = {unit.pk: unit for unit in units.by_name.get(text, [])}
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            raise CellError(
                _("Several units have this name; write the unit's code instead."),
                code="ambiguous_unit",
            )
        raise CellError(
            _("There is no unit “%(value)s” in the system."),
            code="unknown_unit",
            params={"value": cell_text(value)},
        )

    def render(self, value, obj=None, **kwargs) -> str:
        return value.name if value is not None else ""


class BranchLookup:
    """The active party branches (not general branches) by name, read once per file."""

    def __init__(self, branches: Iterable[PartyBranch]):
        self.by_name: dict[str, list[PartyBranch]] = {}
        for branch in branches:
            self.by_name.setdefault(fold_text(branch.name), []).append(branch)

    @classmethod
    def load(cls) -> BranchLookup:
        return cls(
            PartyBranch.objects.filter(is_active=True)
            .exclude(kind=PartyBranch.Kind.GENERAL)
            .only("id", "name", "unit_id")
        )


class BranchCell(ForeignKeyWidget):
    """党支部: a branch's name. Two branches of the same name (in different units) are
    told apart by the cadre's unit."""

    def __init__(self):
        super().__init__(PartyBranch, field="name")

    def clean(
        self,
        value,
        row=None,
        branches: BranchLookup | None = None,
        unit: Unit | None = None,
        **kwargs,
    ) -> PartyBranch | None:
        text = fold_text(value)
        if not text:
            return None
        branches = branches or BranchLookup.load()
        found = branches.by_name.get(text, [])
        if len(found) > 1 and unit is not None:
            found = [branch for branch in found if branch.unit_id == unit.pk] or found
        if len(found) == 1:
            return found[0]
        if found:
            raise CellError(
                _("Several branches have this name; none of them is in the cadre's unit."),
                code="ambiguous_branch",
            )
        raise CellError(
            _("There is no active party branch “%(value)s” in the system."),
            code="unknown_branch",
            params={"value": cell_text(value)},
        )

    def render(self, value, obj=None, **kwargs) -> str:
        return getattr(value, "name", value) or ""


# The columns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerColumn:
    """One column of the ledger.

    ``key`` is the Cadre field it fills (``attribute``) or, for the columns stored
    elsewhere, a name of its own (``branch``, ``contact_name``…). ``imported`` is false
    for columns the export writes but an import ignores (the liaison is a member of the
    exporting unit's staff). ``default`` columns are preselected in the export form.
    """

    key: str
    header: str
    widget: Widget
    required: bool = False
    default: bool = True
    imported: bool = True
    width: int = 12
    aliases: tuple[str, ...] = ()
    help: str | Promise = ""
    value: Callable[[Any], Any] | None = field(default=None, compare=False)

    @property
    def attribute(self) -> str | None:
        """The Cadre field this column fills on import; ``None`` for the columns that
        are stored on other records (read through ``value``) or not imported."""
        if self.value is not None or not self.imported:
            return None
        return self.key

    def render(self, cadre) -> Any:
        """The cell value for ``cadre`` (a string, a date or empty)."""
        raw = self.value(cadre) if self.value is not None else getattr(cadre, self.key, None)
        return self.widget.render(raw)

    def parse(self, value: Any, **context) -> Any:
        """The Python value of a cell; raises :class:`CellError`."""
        return self.widget.clean(value, **context)

    @property
    def choice_labels(self) -> list[str]:
        if isinstance(self.widget, ChoiceCell):
            return list(self.widget.labels.values())
        if isinstance(self.widget, YesNoCell):
            return ["是", "否"]
        return []


def _current_branch_name(cadre) -> str:
    if hasattr(cadre, "branch_name"):
        return cadre.branch_name or ""
    role = (
        BranchRole.objects.filter(cadre=cadre, ended_on__isnull=True)
        .select_related("branch")
        .first()
    )
    return role.branch.name if role else ""


def _emergency_contact(cadre) -> FamilyContact | None:
    # Family contacts are ordered emergency contact first.
    return next(iter(cadre.family_contacts.all()), None)


def _contact_value(attribute: str) -> Callable[[Any], Any]:
    annotation = f"ledger_contact_{attribute}"

    def value(cadre):
        if hasattr(cadre, annotation):
            return getattr(cadre, annotation)
        contact = _emergency_contact(cadre)
        return getattr(contact, attribute) if contact else None

    return value


def _liaison_name(cadre) -> str:
    return cadre.liaison.display_name if cadre.liaison_id else ""


GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
RETIREMENT_KIND_LABELS = {RetirementKind.LIXIU: "离休", RetirementKind.TUIXIU: "退休"}
RANK_LABELS = {
    Rank.PROVINCIAL: "省部级",
    Rank.BUREAU_CHIEF: "厅局级正职",
    Rank.BUREAU_DEPUTY: "厅局级副职",
    Rank.COUNTY_CHIEF: "县处级正职",
    Rank.COUNTY_DEPUTY: "县处级副职",
    Rank.SECTION_CHIEF: "乡科级正职",
    Rank.SECTION_DEPUTY: "乡科级副职",
    Rank.CLERK: "科员及以下",
    Rank.OTHER: "其他",
}
POLITICAL_STATUS_LABELS = {
    PoliticalStatus.CPC_MEMBER: "中共党员",
    PoliticalStatus.DEMOCRATIC_PARTY: "民主党派",
    PoliticalStatus.MASSES: "群众",
}
HEALTH_LABELS = {
    Health.GOOD: "良好",
    Health.FAIR: "一般",
    Health.POOR: "较差",
    Health.BEDRIDDEN: "卧床",
    Health.IN_HOSPITAL: "住院",
}
LIVING_LABELS = {
    LivingSituation.WITH_FAMILY: "与家人同住",
    LivingSituation.EMPTY_NEST: "空巢",
    LivingSituation.ALONE: "独居",
    LivingSituation.CARE_HOME: "入住养老机构",
}
HARDSHIP_LABELS = {Hardship.NONE: "无", Hardship.DIFFICULT: "生活困难", Hardship.EXTREME: "特困"}
STATUS_LABELS = {
    CadreStatus.ON_REGISTER: "在册",
    CadreStatus.DECEASED: "已故",
    CadreStatus.TRANSFERRED: "已转出",
}
RELATION_LABELS = {
    FamilyContact.Relation.SPOUSE: "配偶",
    FamilyContact.Relation.CHILD: "子女",
    FamilyContact.Relation.CHILD_IN_LAW: "儿媳或女婿",
    FamilyContact.Relation.GRANDCHILD: "孙辈",
    FamilyContact.Relation.SIBLING: "兄弟姐妹",
    FamilyContact.Relation.CARER: "护工",
    FamilyContact.Relation.OTHER: "其他",
}
RELATION_ALIASES = {
    **dict.fromkeys(["丈夫", "妻子", "老伴", "爱人"], FamilyContact.Relation.SPOUSE),
    **dict.fromkeys(["儿子", "女儿", "长子", "长女", "次子", "次女"], FamilyContact.Relation.CHILD),
    **dict.fromkeys(["儿媳", "女婿"], FamilyContact.Relation.CHILD_IN_LAW),
    **dict.fromkeys(["孙子", "孙女", "外孙", "外孙女"], FamilyContact.Relation.GRANDCHILD),
    **dict.fromkeys(["哥哥", "姐姐", "弟弟", "妹妹"], FamilyContact.Relation.SIBLING),
    **dict.fromkeys(["保姆", "护理员", "护理人员"], FamilyContact.Relation.CARER),
}
ETHNICITY_LABELS = {str(value): str(label) for value, label in Ethnicity.choices}
# "汉" for 汉族, and the two-digit GB/T 3304 code without its leading zero.
ETHNICITY_ALIASES = {
    **{label.removesuffix("族"): value for value, label in ETHNICITY_LABELS.items()},
    **{str(int(value)): value for value in ETHNICITY_LABELS},
}

DATE_HELP = _("A date such as 1950-03-15.")

LEDGER_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("name", "姓名", TextCell(), required=True, width=10),
    LedgerColumn(
        "gender",
        "性别",
        ChoiceCell(GENDER_LABELS, {"男性": Gender.MALE, "女性": Gender.FEMALE}),
        required=True,
        width=6,
        help=_("Must match the resident ID number."),
    ),
    LedgerColumn(
        "ethnicity",
        "民族",
        ChoiceCell(ETHNICITY_LABELS, ETHNICITY_ALIASES),
        width=8,
        help=_("Empty means 汉族."),
    ),
    LedgerColumn(
        "birth_date",
        "出生日期",
        DateCell(),
        required=True,
        aliases=("出生年月日", "出生年月"),
        help=_("A date such as 1950-03-15; must match the resident ID number."),
    ),
    LedgerColumn(
        "celebrates_lunar_birthday",
        "过农历生日",
        YesNoCell(),
        width=8,
        help=_("是 or 否; empty means 否."),
    ),
    LedgerColumn(
        "id_number",
        "身份证号",
        IdNumberCell(),
        required=True,
        width=21,
        aliases=("身份证号码", "公民身份号码", "身份证"),
        help=_(
            "18 characters with a valid check digit. Keep the column formatted as text, "
            "or Excel drops the last digits."
        ),
    ),
    LedgerColumn(
        "retirement_kind",
        "离退休类别",
        ChoiceCell(RETIREMENT_KIND_LABELS),
        required=True,
        aliases=("离退休类型",),
    ),
    LedgerColumn(
        "retirement_date", "离退休时间", DateCell(), aliases=("离退休日期",), help=DATE_HELP
    ),
    LedgerColumn(
        "unit",
        "所在单位",
        UnitCell(),
        required=True,
        width=20,
        aliases=("所在单位（供养关系）", "所在单位(供养关系)", "供养关系所在单位", "单位"),
        help=_(
            "The unit's name as in the system (or its code). Only units you may edit are accepted."
        ),
    ),
    LedgerColumn("former_employer", "原工作单位", TextCell(), width=20),
    LedgerColumn("former_post", "原职务", TextCell()),
    LedgerColumn("rank", "原职级", ChoiceCell(RANK_LABELS), aliases=("职级",)),
    LedgerColumn(
        "political_status",
        "政治面貌",
        ChoiceCell(
            POLITICAL_STATUS_LABELS,
            {
                "党员": PoliticalStatus.CPC_MEMBER,
                "中国共产党党员": PoliticalStatus.CPC_MEMBER,
                "共产党员": PoliticalStatus.CPC_MEMBER,
            },
        ),
        help=_("Empty means 群众."),
    ),
    LedgerColumn(
        "party_joined_on",
        "入党时间",
        DateCell(),
        aliases=("入党日期",),
        help=_("Only for 中共党员; a date such as 1975-07-01."),
    ),
    LedgerColumn(
        "branch",
        "党支部",
        BranchCell(),
        width=20,
        aliases=("所在党支部",),
        value=_current_branch_name,
        help=_(
            "The name of an existing party branch: the cadre becomes a member from the "
            "day of the import. Only for 中共党员 on the register."
        ),
    ),
    LedgerColumn("phone", "联系电话", PhoneCell(), width=14, aliases=("电话",)),
    LedgerColumn("address", "家庭住址", TextCell(), width=24, aliases=("住址",)),
    LedgerColumn("residential_community", "居住社区", TextCell(), width=16),
    LedgerColumn(
        "health",
        "身体状况",
        ChoiceCell(HEALTH_LABELS, {"好": Health.GOOD, "健康": Health.GOOD}),
        aliases=("健康状况",),
        help=_("Empty means 良好."),
    ),
    LedgerColumn(
        "health_notes",
        "身体状况说明",
        TextCell(multiline=True),
        width=20,
        aliases=("健康状况说明",),
    ),
    LedgerColumn(
        "living_situation",
        "居住状况",
        ChoiceCell(LIVING_LABELS, {"与子女同住": LivingSituation.WITH_FAMILY}),
        aliases=("居住情况",),
        help=_("Empty means 与家人同住."),
    ),
    LedgerColumn(
        "hardship",
        "生活困难",
        ChoiceCell(
            HARDSHIP_LABELS,
            {"否": Hardship.NONE, "是": Hardship.DIFFICULT, "困难": Hardship.DIFFICULT},
        ),
        aliases=("困难情况",),
        help=_("Empty means 无."),
    ),
    LedgerColumn("hardship_notes", "困难情况说明", TextCell(multiline=True), width=20),
    LedgerColumn("hobbies", "爱好特长", TextCell(multiline=True), width=16),
    LedgerColumn("learning_activities", "学习活动情况", TextCell(multiline=True), width=16),
    LedgerColumn("current_needs", "当前需求", TextCell(multiline=True), width=16),
    LedgerColumn(
        "contact_name",
        "紧急联系人姓名",
        TextCell(),
        default=False,
        width=10,
        aliases=("紧急联系人",),
        value=_contact_value("name"),
        help=_("The family member to call first; leave the three columns empty if none."),
    ),
    LedgerColumn(
        "contact_relation",
        "紧急联系人关系",
        ChoiceCell(RELATION_LABELS, RELATION_ALIASES),
        default=False,
        width=10,
        value=_contact_value("relation"),
        help=_("Empty means 其他."),
    ),
    LedgerColumn(
        "contact_phone",
        "紧急联系人电话",
        PhoneCell(),
        default=False,
        width=14,
        value=_contact_value("phone"),
    ),
    LedgerColumn(
        "liaison",
        "一对一联系人",
        TextCell(),
        imported=False,
        width=10,
        value=_liaison_name,
        help=_("Written by the export; an import leaves it out."),
    ),
    LedgerColumn(
        "status",
        "状态",
        ChoiceCell(
            STATUS_LABELS,
            {
                "去世": CadreStatus.DECEASED,
                "死亡": CadreStatus.DECEASED,
                "转出": CadreStatus.TRANSFERRED,
            },
        ),
        width=8,
        help=_("Empty means 在册."),
    ),
    LedgerColumn("died_on", "去世日期", DateCell(), help=_("Only with the status 已故.")),
    LedgerColumn("transferred_on", "转出日期", DateCell(), help=_("Only with the status 已转出.")),
    LedgerColumn("transferred_to", "转往", TextCell(), width=16, aliases=("转往单位",)),
    LedgerColumn("notes", "备注", TextCell(multiline=True), width=20),
)

COLUMNS_BY_KEY: dict[str, LedgerColumn] = {column.key: column for column in LEDGER_COLUMNS}
REQUIRED_COLUMNS = tuple(column for column in LEDGER_COLUMNS if column.required)
_BY_HEADER: dict[str, LedgerColumn] = {
    fold_text(header): column
    for column in LEDGER_COLUMNS
    for header in (column.header, *column.aliases)
}


def column_for_header(header: Any) -> LedgerColumn | None:
    """The column a file's header means: its own header or a common variant, ignoring
    spaces, full-width characters and the "*" that marks a required column."""
    return _BY_HEADER.get(_header_key(header))


# The running number bureaus put in the first column: understood, and not imported.
SERIAL_HEADERS = frozenset({"序号"})


def is_serial_header(header: Any) -> bool:
    return _header_key(header) in SERIAL_HEADERS


def _header_key(header: Any) -> str:
    return fold_text(header).rstrip("*＊").lstrip("*＊")


def with_ledger_annotations(queryset: QuerySet) -> QuerySet:
    """Add the emergency contact's name, relation and phone to a Cadre queryset, so
    that the contact columns render without a query per cadre."""
    contact = FamilyContact.objects.filter(cadre=OuterRef("pk")).order_by(
        "-is_emergency_contact", "id"
    )
    return queryset.annotate(
        **{
            f"ledger_contact_{attribute}": Subquery(contact.values(attribute)[:1])
            for attribute in ("name", "relation", "phone")
        }
    )
