"""The records the access walks read: one unit's and another's (the `world` fixture),
the URL of a page for a record, and the mark of everything of the other unit."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import User
from branches.models import BranchRole
from reminders.models import Digest, Holiday
from tests.factories import (
    ActivityFactory,
    AssistanceCaseFactory,
    AssistanceDocumentFactory,
    BranchAideFactory,
    BranchMeetingFactory,
    BranchRoleFactory,
    CadreFactory,
    CareNeedFactory,
    CheckupCampaignFactory,
    CheckupFactory,
    DeliveryFactory,
    DigestFactory,
    DistributionFactory,
    FamilyContactFactory,
    ImportJobFactory,
    PartyBranchFactory,
    SuggestionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UnitFactory,
    UserFactory,
    VisitFactory,
)
from tests.funds.factories import BudgetLineFactory, ExpenseFactory, StandardFactory

PLANNED_DUE = datetime.date(2026, 6, 11)


OTHER_UNIT = "他乡"  # in every name and text of the other unit's records


@pytest.fixture
def world(db, settings, tmp_path):
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    mine = UnitFactory(name="县教育局", code="A", parent=bureau)
    theirs = UnitFactory(name="县财政局", code="C", parent=bureau)
    users = {
        role: UserFactory(role=role, unit=mine if role != User.Role.BUREAU_STAFF else bureau)
        for role in (User.Role.UNIT_STAFF, User.Role.BRANCH_SECRETARY, User.Role.BUREAU_STAFF)
    }
    users[User.Role.ADMINISTRATOR] = User.objects.create_superuser(
        "root", "r@example.com", "pw-x-12345"
    )
    records = {}
    settings.PRIVATE_FILES_ROOT = tmp_path
    checkup_campaign = CheckupCampaignFactory()
    for side, unit in (("mine", mine), ("theirs", theirs)):
        colleague = UserFactory(unit=unit)
        records[side] = {
            "cadre": CadreFactory(unit=unit),
            "need": CareNeedFactory(cadre=CadreFactory(unit=unit)),
            "family_contact": FamilyContactFactory(cadre=CadreFactory(unit=unit)),
            "activity": ActivityFactory(unit=unit),
            "team": TeamFactory(unit=unit),
            "membership": TeamMembershipFactory(
                team=TeamFactory(unit=unit), cadre=CadreFactory(unit=unit)
            ),
            "suggestion": SuggestionFactory(cadre=CadreFactory(unit=unit)),
            "failed_digest": DigestFactory(recipient=colleague, status=Digest.Status.FAILED),
            "import_job": ImportJobFactory(user=colleague),
        }
        branch = PartyBranchFactory(unit=unit)
        records[side]["branch"] = branch
        records[side]["meeting"] = BranchMeetingFactory(branch=branch)
        records[side]["distribution"] = DistributionFactory(unit=unit)
        records[side]["delivery"] = DeliveryFactory(
            distribution=records[side]["distribution"], cadre=records[side]["cadre"]
        )
        records[side]["aide"] = BranchAideFactory(branch=branch, user=colleague)
        # The unit's 春节 budget line and an expense of its own (standards are shared).
        records[side]["budget_line"] = BudgetLineFactory(unit=unit)
        records[side]["expense"] = ExpenseFactory(unit=unit)
        records[side]["funds_standard"] = StandardFactory(note=side)
        # A drafted assistance case (drafted by a colleague) with a supporting document.
        case = AssistanceCaseFactory(cadre=records[side]["cadre"], created_by=colleague)
        records[side]["assistance_case"] = case
        records[side]["assistance_document"] = AssistanceDocumentFactory(case=case)
        # The unit's cadre in the checkup campaign every unit shares, with a report scan.
        records[side]["checkup_campaign"] = checkup_campaign
        records[side]["checkup"] = CheckupFactory(
            campaign=checkup_campaign,
            cadre=records[side]["cadre"],
            report_file=ContentFile(b"%PDF-1.4", name="report.pdf"),
        )
        # A planned visit (its completion, rescheduling and cancellation pages need one).
        records[side]["visit"] = VisitFactory(
            cadre=records[side]["cadre"], status="planned", visited_on=None, due_on=PLANNED_DUE
        )
    # The branch secretary's login is the cadre who leads "mine"'s branch, and the unit's
    # cadre is a member of it: a secretary reads their branch and its members.
    BranchRoleFactory(branch=records["mine"]["branch"], cadre=records["mine"]["cadre"])
    BranchRoleFactory(
        branch=records["mine"]["branch"],
        cadre=CadreFactory(unit=mine, account=users[User.Role.BRANCH_SECRETARY]),
        role=BranchRole.Role.SECRETARY,
    )
    return users, records


def url_for(name, kind, records):
    if kind == "holiday":  # shared by every unit
        return reverse(name, args=[Holiday.objects.get(name="春节").pk])
    if kind == "report_slug":  # a standard table: its figures are scoped, not the page
        return reverse(name, args=["age-bands"])
    if kind == "checkup_cadre":  # a cadre in the campaign every unit shares
        return reverse(name, args=[records["checkup_campaign"].pk, records["cadre"].pk])
    return reverse(name, args=[records[kind].pk]) if kind else reverse(name)
