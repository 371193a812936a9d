import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from branches.models import BranchRole, PartyBranch
from tests.factories import BranchRoleFactory, CadreFactory, PartyBranchFactory

pytestmark = pytest.mark.django_db


def test_a_branch_has_at_most_one_current_secretary():
    branch = PartyBranchFactory()
    first = BranchRoleFactory(branch=branch, role=BranchRole.Role.SECRETARY)
    with pytest.raises(IntegrityError), transaction.atomic():
        BranchRoleFactory(branch=branch, role=BranchRole.Role.SECRETARY)
    # After the re-election ends the first term, a new secretary may start.
    first.ended_on = datetime.date(2026, 6, 30)
    first.save()
    BranchRoleFactory(branch=branch, role=BranchRole.Role.SECRETARY)
    assert branch.roles.filter(role="secretary").count() == 2


def test_the_second_secretary_is_reported_in_chinese_by_validation():
    branch = PartyBranchFactory()
    BranchRoleFactory(branch=branch, role=BranchRole.Role.SECRETARY)
    second = BranchRoleFactory.build(
        branch=branch, cadre=CadreFactory(), role=BranchRole.Role.SECRETARY
    )
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as excinfo:
            second.full_clean()
        assert "已有" in str(excinfo.value)


def test_a_cadre_holds_one_current_place():
    cadre = CadreFactory()
    BranchRoleFactory(cadre=cadre)
    with pytest.raises(IntegrityError), transaction.atomic():
        BranchRoleFactory(cadre=cadre)


def test_a_parent_must_be_a_general_branch():
    joint = PartyBranchFactory()
    child = PartyBranchFactory.build(parent=joint, unit=joint.unit)
    with pytest.raises(ValidationError):
        child.full_clean()
    general = PartyBranchFactory(kind=PartyBranch.Kind.GENERAL)
    PartyBranchFactory.build(parent=general, unit=joint.unit).full_clean()


def test_only_party_members_on_the_register_hold_branch_places():
    from cadres.models import PoliticalStatus

    outsider = CadreFactory(political_status=PoliticalStatus.MASSES, party_joined_on=None)
    role = BranchRoleFactory.build(branch=PartyBranchFactory(), cadre=outsider)
    with pytest.raises(ValidationError) as excinfo:
        role.full_clean()
    assert "cadre" in excinfo.value.message_dict


def test_branch_names_are_unique_within_a_unit_only():
    first = PartyBranchFactory(name="离退休干部党支部")
    PartyBranchFactory(name="离退休干部党支部")  # another unit: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyBranchFactory(name="离退休干部党支部", unit=first.unit)
