"""The django-import-export resource that reads ledger rows into unsaved cadres.

``CadreLedgerResource.import_data(dataset, dry_run=True, raise_errors=False,
collect_failed_rows=True)`` runs every row through the ledger's column widgets, the
same preparation as ``cadres.services.cadre_create`` (pinyin search names, the health
date) and the model's ``full_clean``, and then the checks a single form cannot make:
duplicates inside the file and against the registry, the user's units, the branch and
the emergency contact (those two read by :mod:`ledger.related_records`). Problems come
back on the import result, one per cell, with a code and a message.

The resource never writes. Rows that pass are kept (``ready``) for
``ledger.services``, which writes them all in one transaction, in batches with their
history; saving row by row through the resource would give each of 10,000 cadres its
own savepoint, insert and history insert.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field

from accounts.models import User
from accounts.scoping import can_edit_registry, scope_queryset, visible_unit_ids
from branches.models import PartyBranch
from cadres.models import Cadre, FamilyContact
from cadres.services import cadre_prepare_for_save
from cadres.validators import resident_id_birth_date, validate_resident_id

from .cells import CellError, cell_text, fold_text
from .columns import COLUMNS_BY_KEY, LEDGER_COLUMNS, REQUIRED_COLUMNS
from .date_cells import PartialDate
from .lookup_cells import BranchLookup, UnitLookup
from .related_records import row_branch, row_contact
from .spreadsheets import ROW_NUMBER

# ``in`` lists sent to the database at a time (SQLite allows a few thousand variables).
LOOKUP_BATCH = 2000
# Cadre fields made from the name (the registry's pinyin search).
DERIVED_FROM_NAME = ("name_pinyin", "name_initials")


@dataclass
class ReadyRow:
    """A row that passed every check: the unsaved cadre, and what goes with it."""

    row: int
    cadre: Cadre
    branch: PartyBranch | None
    contact: FamilyContact | None


def _model_fields() -> dict[str, Field]:
    fields = {}
    for column in LEDGER_COLUMNS:
        if column.attribute is None:
            continue
        model_field = Cadre._meta.get_field(column.attribute)
        fields[column.key] = Field(
            attribute=column.attribute,
            column_name=column.header,
            widget=column.widget,
            default=model_field.default,
        )
    return fields


class CadreLedgerResource(resources.ModelResource):
    """Ledger rows → cadres, for ``user`` (only into the units they may edit)."""

    class Meta:
        model = Cadre
        fields = tuple(column.key for column in LEDGER_COLUMNS if column.attribute)
        force_init_instance = True  # every row is a new cadre; duplicates are errors
        skip_diff = True
        skip_html_diff = True
        clean_model_instances = True
        use_transactions = True
        # Rows are never saved by the resource; "bulk" spares each row a savepoint.
        use_bulk = True

    def __init__(self, *, user: User):
        super().__init__()
        self.fields = _model_fields()
        self.user = user
        self.editable_unit_ids = (
            visible_unit_ids(user=user) if can_edit_registry(user=user) else set()
        )
        self.units = UnitLookup([])
        self.branches = BranchLookup([])
        self.registry_ids: set[str] = set()
        self.registry_people: set[tuple[str, datetime.date]] = set()
        self.visible_registered: dict[str, Cadre] | None = None
        self.first_row_of_id: dict[str, int] = {}
        self.first_row_of_person: dict[tuple[str, datetime.date], int] = {}
        self.ready: list[ReadyRow] = []

    def get_import_fields(self):
        # The library works the list out again for every row; it never changes here.
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    # Set-up for a whole file ---------------------------------------------------------

    def prepare(self, sheet) -> None:
        """Read once what every row is checked against: the units, the branches, and
        the registry's cadres with an ID number or a name that occurs in the file."""
        self.units = UnitLookup.load()
        self.branches = BranchLookup.load()
        headers = sheet.headers
        ids: set[str] = set()
        names: set[str] = set()
        id_at = headers.index(COLUMNS_BY_KEY["id_number"].header)
        name_at = headers.index(COLUMNS_BY_KEY["name"].header)
        id_widget = COLUMNS_BY_KEY["id_number"].widget
        for row in sheet.rows:
            with contextlib.suppress(CellError):  # reported on its row
                ids.add(id_widget.clean(row[id_at]))
            names.add(fold_text(row[name_at]))
        ids.discard("")
        names.discard("")
        for batch in _batches(sorted(ids)):
            self.registry_ids.update(
                Cadre.objects.with_id_numbers(batch).values_list("id_number", flat=True)
            )
        for batch in _batches(sorted(names)):
            self.registry_people.update(
                (fold_text(name), birth)
                for name, birth in Cadre.objects.filter(name__in=batch).values_list(
                    "name", "birth_date"
                )
            )

    # One row -------------------------------------------------------------------------

    def import_instance(self, instance: Cadre, row, **kwargs) -> None:
        """Parse each cell (keeping the widgets' error codes), then check what depends
        on other rows and other records."""
        errors: dict[str, list[ValidationError]] = {}

        def add(key: str, message, code: str, params: dict | None = None) -> None:
            errors.setdefault(key, []).append(ValidationError(message, code=code, params=params))

        birth_month = None
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, units=self.units, **kwargs)
            except PartialDate as error:
                if field.attribute == "birth_date" and error.months:
                    birth_month = error  # completed from the ID number below
                else:
                    add(field.attribute, error.message, error.code, error.params)
            except CellError as error:
                add(field.attribute, error.message, error.code, error.params)
            except ValueError as error:
                add(field.attribute, str(error), "invalid")
        if birth_month is not None:
            self._birth_date_from_id(instance, birth_month, add)
        self._check_required(row, add, errors)
        instance._ledger_row = row[ROW_NUMBER]
        instance._ledger_branch = row_branch(
            instance=instance, row=row, branches=self.branches, add=add
        )
        instance._ledger_contact = row_contact(row=row, add=add)
        self._check_unit(instance, add, errors)
        self._check_duplicates(instance, row, add, errors)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own validation, as ``cadre_create`` runs it, less three kinds of
        database query per row: uniqueness of the ID number (checked against the
        registry once per file in ``prepare``), the unit's existence (it was found among
        the units read once) and the check constraints (``Cadre.clean`` checks the same
        conditions in Python with clearer messages, and the database still enforces
        them when the rows are written)."""
        errors = dict(import_validation_errors or {})
        # As cadre_create does before full_clean: pinyin names and the health date.
        cadre_prepare_for_save(cadre=instance)
        exclude = set(errors)
        if instance.unit_id is not None:
            exclude.add("unit")
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # The pinyin search names are made from the name: a name too long for its
        # column makes them too long as well, which is the same problem said again.
        derived = [errors.pop(key) for key in DERIVED_FROM_NAME if key in errors]
        if derived and "name" not in errors:
            errors["name"] = [
                ValidationError(
                    _("This name is too long to be written in pinyin for the search."),
                    code="name_too_long",
                )
            ]
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        self.ready.append(
            ReadyRow(
                row=instance._ledger_row,
                cadre=instance,
                branch=instance._ledger_branch,
                contact=instance._ledger_contact,
            )
        )

    # The checks ----------------------------------------------------------------------

    def _check_required(self, row, add, errors) -> None:
        """An empty required cell, said as such (the model would say "cannot be null"
        of a date or a unit and "cannot be blank" of the rest)."""
        for column in REQUIRED_COLUMNS:
            if column.key not in errors and not cell_text(row.get(column.header)):
                add(column.key, _("This column is required; fill it in."), "required")

    def _birth_date_from_id(self, instance: Cadre, written: PartialDate, add) -> None:
        """A birth date written as a year and month (出生年月: 1950.03) takes its day
        from a valid ID number whose birth date falls in that month."""
        number = instance.id_number
        if not number or not _valid_id_number(number):
            add(
                "birth_date",
                _(
                    "“%(value)s” gives only the year and month of birth: write the whole "
                    "date, such as %(example)s, or a valid resident ID number, from which "
                    "the day is taken."
                ),
                "partial_date",
                written.params,
            )
            return
        born = resident_id_birth_date(number)
        if born.year == written.year and born.month in written.months:
            instance.birth_date = born
            return
        add(
            "birth_date",
            _(
                "The year and month of birth “%(value)s” do not match the resident ID "
                "number (%(date)s)."
            ),
            "birth_month_mismatch",
            {"value": written.params["value"], "date": born.isoformat()},
        )

    def _check_unit(self, instance: Cadre, add, errors) -> None:
        if "unit" in errors or instance.unit_id is None:
            return
        if self.editable_unit_ids is not None and instance.unit.pk not in self.editable_unit_ids:
            add("unit", _("You may not import into this unit."), "unit_out_of_scope")

    def _check_duplicates(self, instance: Cadre, row, add, errors) -> None:
        here = row[ROW_NUMBER]
        number = instance.id_number
        # Only a valid number can be a duplicate (masked ones, say, are all alike).
        if number and "id_number" not in errors and _valid_id_number(number):
            first = self.first_row_of_id.setdefault(number, here)
            if first != here:
                add(
                    "id_number",
                    _("The same resident ID number is already on row %(row)s of this file."),
                    "duplicate_id_in_file",
                    {"row": first},
                )
            elif number in self.registry_ids:
                registered = self._registered_in_scope().get(number)
                if registered is None:
                    # Someone the user may not see: that the number is taken is all
                    # the import may say, not whose it is or in which unit.
                    add(
                        "id_number",
                        _("This resident ID number is already in the registry."),
                        "duplicate_id_in_registry",
                    )
                else:
                    add(
                        "id_number",
                        _(
                            "%(name)s of %(unit)s is already registered with this resident ID "
                            "number."
                        ),
                        "duplicate_id_in_registry",
                        {"name": registered.name, "unit": registered.unit.name},
                    )
        name = fold_text(instance.name)
        if name and instance.birth_date and "birth_date" not in errors:
            person = (name, instance.birth_date)
            first = self.first_row_of_person.setdefault(person, here)
            if first != here:
                add(
                    "name",
                    _(
                        "A cadre with the same name and date of birth is already on row "
                        "%(row)s of this file."
                    ),
                    "duplicate_person_in_file",
                    {"row": first},
                )
            elif person in self.registry_people and "id_number" not in errors:
                add(
                    "name",
                    _("A cadre with the same name and date of birth is already registered."),
                    "duplicate_person_in_registry",
                )

    def _registered_in_scope(self) -> dict[str, Cadre]:
        """The registry's cadres with an ID number of the file whom the user may see,
        by number; read once, when the first such duplicate is met."""
        if self.visible_registered is None:
            self.visible_registered = {}
            for batch in _batches(sorted(self.registry_ids)):
                cadres = scope_queryset(
                    Cadre.objects.with_id_numbers(batch),
                    user=self.user,
                    unit_path="unit",
                    cadre_path="",
                ).select_related("unit")
                self.visible_registered.update((cadre.id_number, cadre) for cadre in cadres)
        return self.visible_registered


def _batches(values: list, size: int = LOOKUP_BATCH):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def problem_key_header(key: str) -> str:
    """The file header a problem belongs to ("" for the row as a whole)."""
    if key == NON_FIELD_ERRORS:
        return ""
    column = COLUMNS_BY_KEY.get(key)
    return column.header if column else ""


def _valid_id_number(number: str) -> bool:
    try:
        validate_resident_id(number)
    except ValidationError:
        return False
    return True
