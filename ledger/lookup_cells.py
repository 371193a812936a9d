"""The ledger's cells that name a record already in the system: the unit (所在单位, by
name, short name or code) and the party branch (党支部, by name, told apart by the
cadre's unit), each with the lookup read once for a whole file.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from import_export.widgets import ForeignKeyWidget

from accounts.models import Unit
from branches.models import PartyBranch

from .cells import CellError, cell_text, fold_text


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
