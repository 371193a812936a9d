"""What a ledger row holds besides the cadre: the party branch the cadre joins (党支部)
and the emergency contact (紧急联系人, three columns of the cadre's own row), each
parsed from its cells and checked for the import, with problems reported through
``add`` as the resource's other checks report theirs.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from branches.models import PartyBranch
from cadres.models import Cadre, CadreStatus, FamilyContact, PoliticalStatus

from .cells import CellError
from .columns import COLUMNS_BY_KEY
from .lookup_cells import BranchLookup

# Columns of the file kept on other records than the cadre.
CONTACT_FIELDS = {"contact_name": "name", "contact_relation": "relation", "contact_phone": "phone"}


def row_branch(*, instance: Cadre, row, branches: BranchLookup, add) -> PartyBranch | None:
    """The party branch a row names (党支部), for a Party member on the register; the
    cadre's unit tells apart branches of the same name."""
    column = COLUMNS_BY_KEY["branch"]
    if column.header not in row:
        return None
    try:
        branch = column.parse(
            row[column.header],
            branches=branches,
            unit=instance.unit if instance.unit_id else None,
        )
    except CellError as error:
        add("branch", error.message, error.code, error.params)
        return None
    if branch is None:
        return None
    if instance.political_status != PoliticalStatus.CPC_MEMBER:
        add(
            "branch",
            _("Only a Party member can hold a place in a branch."),
            "branch_not_member",
        )
    elif instance.status != CadreStatus.ON_REGISTER:
        add("branch", _("This cadre is no longer on the register."), "branch_not_on_register")
    return branch


def row_contact(*, row, add) -> FamilyContact | None:
    """The emergency contact a row names (紧急联系人姓名 / 关系 / 电话), unsaved; none if
    the three columns are empty or any of them is wrong."""
    values = {}
    failed = False
    for key, attribute in CONTACT_FIELDS.items():
        column = COLUMNS_BY_KEY[key]
        try:
            values[attribute] = column.parse(row.get(column.header))
        except CellError as error:
            add(key, error.message, error.code, error.params)
            failed = True
    if not any(values.values()):
        return None
    if not values.get("name"):
        add(
            "contact_name",
            _("Give the emergency contact's name, or leave the three columns empty."),
            "contact_name_missing",
        )
        return None
    contact = FamilyContact(
        name=values["name"],
        relation=values.get("relation") or FamilyContact.Relation.OTHER,
        phone=values.get("phone") or "",
        is_emergency_contact=True,
    )
    try:
        contact.full_clean(exclude=["cadre"], validate_constraints=False)
    except ValidationError as error:
        for attribute, messages in error.message_dict.items():
            key = next((k for k, a in CONTACT_FIELDS.items() if a == attribute), "contact_name")
            for message in messages:
                add(key, message, "invalid")
        return None
    return None if failed else contact
