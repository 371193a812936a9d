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

The widgets live beside the cells they read: text, choices and 是/否 in
:mod:`ledger.cells`, dates in :mod:`ledger.date_cells`, units and branches in
:mod:`ledger.lookup_cells`; the choices' Chinese labels in :mod:`ledger.choice_labels`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from import_export.widgets import Widget

from branches.models import BranchRole
from cadres.models import (
    CadreStatus,
    FamilyContact,
    Gender,
    Hardship,
    Health,
    LivingSituation,
    PoliticalStatus,
)

from .cells import ChoiceCell, IdNumberCell, PhoneCell, TextCell, YesNoCell, fold_text
from .choice_labels import (
    ETHNICITY_ALIASES,
    ETHNICITY_LABELS,
    GENDER_LABELS,
    HARDSHIP_LABELS,
    HEALTH_LABELS,
    LIVING_LABELS,
    POLITICAL_STATUS_LABELS,
    RANK_LABELS,
    RELATION_ALIASES,
    RELATION_LABELS,
    RETIREMENT_KIND_LABELS,
    STATUS_LABELS,
)
from .date_cells import DateCell
from .lookup_cells import BranchCell, UnitCell

DATA_SHEET = "干部台账"
NOTES_SHEET = "说明"
CHOICES_SHEET = "选项"


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
