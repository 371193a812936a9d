"""Every URL of the staff site, walked with each role: logged out → login; another
unit's record → 404; one's own → 200. The list of URLs comes from the URL conf, so a new
page cannot escape this test without being added to PAGES."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse

from accounts.models import User
from branches.models import BranchRole
from checkups.models import CheckupCampaign
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
from tests.funds.factories import (
    BudgetAdjustmentFactory,
    BudgetLineFactory,
    ExpenseFactory,
    StandardFactory,
)

pytestmark = pytest.mark.django_db
PLANNED_DUE = datetime.date(2026, 6, 11)

STAFF_NAMESPACES = {
    "accounts",
    "activities",
    "assistance",
    "branches",
    "checkups",
    "distributions",
    "funds",
    "cadres",
    "ledger",
    "reminders",
    "reports",
}
# The calendar feed answers calendar apps, which cannot sign in: its secret token is the
# key (tests/reminders/test_feeds.py checks it without a login). /healthz answers a
# monitor with no personal data (tests/reminders/test_health.py).
# The language switch is for the sign-in page too (tests/accounts/test_language.py).
PUBLIC = {"accounts:login", "accounts:logout", "accounts:language", "reminders:feed", "healthz"}
# Pages that record something: branch secretaries read only (403).
EDITING = {
    "cadres:new",
    "cadres:edit",
    "cadres:family_new",
    "cadres:family_edit",
    "cadres:family_remove",
    "cadres:deceased",
    "cadres:transfer",
    "cadres:visit_new",
    "cadres:visit_edit",
    "cadres:visit_complete",
    "cadres:visit_reschedule",
    "cadres:visit_cancel",
    "cadres:need_new",
    "cadres:need_assign",
    "cadres:need_resolve",
    "branches:aide_new",
    "branches:aide_remove",
    "reports:scorecard_weights",
    "activities:new",
    "activities:edit",
    "activities:membership_new",
    "activities:membership_end",
    "activities:honour_new",
    "activities:suggestion_new",
    "activities:suggestion_answer",
    # The whole ledger import is for those who record.
    "ledger:upload",
    "ledger:template",
    "ledger:job",
    "ledger:job_progress",
    "ledger:commit",
    "assistance:new",
    "assistance:edit",
    "assistance:submit",
    "assistance:review",
    "assistance:decide",
    "assistance:pay",
    "assistance:close",
    "assistance:document_new",
    "distributions:new",
    "distributions:edit",
    "distributions:deliver",
    "distributions:delivery_undo",
    "checkups:record",
}
# Steps of an assistance case only the bureau takes, and the review only unit staff take:
# 403 to the other roles that record.
BUREAU_STEPS = {"assistance:decide", "assistance:pay", "assistance:close"}
UNIT_STEPS = {"assistance:review"}
# The full ID number is shown (on a logged request) to bureau staff and administrators only.
FULL_ID_NUMBER = {"cadres:id_number"}
# Import jobs are seen by their own user and administrators only.
OWN_ONLY = {"import_job"}
# Pages that record something which branch secretaries may nevertheless use, for the
# branches they lead only (recording their branch's 三会一课 is their job): not in
# EDITING, so the walk below expects 200 for their branch and 404 for another unit's;
# test_branch_secretaries_write_only_for_the_branches_they_lead covers the rest.
BRANCH_SECRETARY_WRITES = {"branches:meeting_new", "branches:meeting_edit"}
# Branch secretaries handle no money: every page of the funds answers them 403.
# The standards and the budget's computation are for administrators (403 to everyone
# else); adjusting a budget line is for the bureau and administrators (403 to unit
# staff).
MONEY_ADMINISTRATORS = {
    "funds:standards",
    "funds:standards_copy",
    "funds:standard_edit",
    "funds:standard_delete",
    "funds:compute",
}
MONEY_BUREAU = {"funds:line_new", "funds:line_adjust"}
# Units are assessed: branch secretaries, whose scope is their branches' members, are
# refused the unit scorecard (403); unit staff see their own units' rows.
UNIT_REPORTS = {"reports:scorecard", "reports:scorecard_list"}
# The scorecard's weights are set by administrators only (403 for everyone else).
ADMINISTRATORS_ONLY = {"reports:scorecard_weights"}
# URL name → the kind of record its <pk> is (None: no argument).
PAGES = {
    "home": None,
    "accounts:password_change": None,
    "accounts:profile": None,
    "cadres:registry": None,
    "cadres:new": None,
    "cadres:detail": "cadre",
    "cadres:edit": "cadre",
    "cadres:history": "cadre",
    "cadres:id_number": "cadre",
    "cadres:picker": None,
    "cadres:deceased": "cadre",
    "cadres:transfer": "cadre",
    "cadres:family_new": "cadre",
    "cadres:family_edit": "family_contact",
    "cadres:family_remove": "family_contact",
    "cadres:visits": None,
    "cadres:visit_new": None,
    "cadres:visit_todo": None,
    "cadres:visit_detail": "visit",
    "cadres:visit_history": "visit",
    "cadres:visit_edit": "visit",
    "cadres:visit_complete": "visit",
    "cadres:visit_reschedule": "visit",
    "cadres:visit_cancel": "visit",
    "cadres:needs": None,
    "cadres:need_new": None,
    "cadres:need_assign": "need",
    "cadres:need_resolve": "need",
    "branches:list": None,
    "branches:detail": "branch",
    "branches:history": "branch",
    "branches:meeting_new": "branch",
    "branches:meeting_edit": "meeting",
    "branches:aide_new": "branch",
    "branches:aide_remove": "aide",
    "reminders:mine": None,
    "reports:dashboard": None,
    "reports:index": None,
    "reports:table": "report_slug",
    "reports:scorecard": None,
    "reports:scorecard_list": None,
    "reports:scorecard_weights": None,
    "reports:export_cadres": None,
    "reports:export_visits": None,
    "reports:export_attendance": None,
    "reminders:log": None,
    "reminders:resend": "failed_digest",
    "reminders:campaign": None,
    "reminders:campaign_holiday": "holiday",
    "activities:list": None,
    "activities:calendar": None,
    "activities:new": None,
    "activities:detail": "activity",
    "activities:history": "activity",
    "activities:edit": "activity",
    "activities:teams": None,
    "activities:team": "team",
    "activities:membership_new": "team",
    "activities:membership_end": "membership",
    "activities:honours": None,
    "activities:honour_new": None,
    "activities:suggestions": None,
    "activities:suggestion_new": None,
    "activities:suggestion_answer": "suggestion",
    "reminders:feed_reset": None,
    "ledger:upload": None,
    "ledger:template": None,
    "ledger:job": "import_job",
    "ledger:job_progress": "import_job",
    "ledger:commit": "import_job",
    "assistance:list": None,
    "assistance:pending": None,
    "assistance:new": None,
    "assistance:detail": "assistance_case",
    "assistance:history": "assistance_case",
    "assistance:edit": "assistance_case",
    "assistance:submit": "assistance_case",
    "assistance:review": "assistance_case",
    "assistance:decide": "assistance_case",
    "assistance:pay": "assistance_case",
    "assistance:close": "assistance_case",
    "assistance:document_new": "assistance_case",
    "assistance:document": "assistance_document",
    "assistance:report_cases": None,
    "assistance:report_scorecard": None,
    "distributions:list": None,
    "distributions:new": None,
    "distributions:coverage": None,
    "distributions:coverage_xlsx": None,
    "distributions:detail": "distribution",
    "distributions:edit": "distribution",
    "distributions:deliver": "distribution",
    "distributions:delivery_undo": "delivery",
    "funds:overview": None,
    "funds:line_new": None,
    "funds:line_detail": "budget_line",
    "funds:line_adjust": "budget_line",
    "funds:line_history": "budget_line",
    "funds:standards": None,
    "funds:standards_copy": None,
    "funds:standard_edit": "funds_standard",
    "funds:standard_delete": "funds_standard",
    "funds:compute": None,
    "funds:expenses": None,
    "funds:expense_new": None,
    "funds:expense_detail": "expense",
    "funds:expense_void": "expense",
    "funds:visit_budget": None,
    "funds:report": None,
    "funds:reach": None,
    "checkups:index": None,
    "checkups:campaign": "checkup_campaign",
    "checkups:export": "checkup_campaign",
    "checkups:record": "checkup_cadre",
    "checkups:report_file": "checkup",
}


def staff_url_names():
    names = set()
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace in STAFF_NAMESPACES:
            names |= {f"{namespace}:{p.name}" for p in pattern.url_patterns if p.name}
        elif getattr(pattern, "name", None):  # "home", "healthz": at the root
            names.add(pattern.name)
    return names


def test_every_staff_url_is_covered():
    assert staff_url_names() - PUBLIC == set(PAGES)


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
    settings.CHECKUPS_PRIVATE_ROOT = str(tmp_path)
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
        # The unit's cadre in the checkup campaign every unit shares, with a report scan.
        records[side]["checkup_campaign"] = checkup_campaign
        records[side]["checkup"] = CheckupFactory(
            campaign=checkup_campaign,
            cadre=records[side]["cadre"],
            report_file=ContentFile(b"%PDF-1.4", name="report.pdf"),
        )
        # A drafted assistance case (drafted by a colleague) with a supporting document.
        case = AssistanceCaseFactory(cadre=records[side]["cadre"], created_by=colleague)
        records[side]["assistance_case"] = case
        records[side]["assistance_document"] = AssistanceDocumentFactory(case=case)
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


@pytest.mark.parametrize("name", sorted(PAGES))
def test_logged_out_requests_go_to_login(client, world, name):
    _users, records = world
    response = client.get(url_for(name, PAGES[name], records["mine"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", list(User.Role.values))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_role_sees_its_own_and_never_another_units_records(client, world, role, name):
    users, records = world
    client.force_login(users[role])
    kind = PAGES[name]
    # A digest is one's own (a branch secretary sees no colleague's delivery log).
    mine = {
        **records["mine"],
        "failed_digest": DigestFactory(recipient=users[role], status="failed"),
        "import_job": ImportJobFactory(user=users[role]),
    }
    own = client.get(url_for(name, kind, mine), follow=True)
    if role == User.Role.BRANCH_SECRETARY and name in EDITING:
        assert own.status_code == 403
        return
    if name in FULL_ID_NUMBER and role in (User.Role.UNIT_STAFF, User.Role.BRANCH_SECRETARY):
        assert own.status_code == 403
        return
    if name.startswith("funds:") and (
        role == User.Role.BRANCH_SECRETARY
        or (name in MONEY_ADMINISTRATORS and role != User.Role.ADMINISTRATOR)
        or (name in MONEY_BUREAU and role == User.Role.UNIT_STAFF)
    ):
        assert own.status_code == 403
        return
    if kind == "funds_standard":  # shared by every unit
        assert own.status_code == 200
        return
    if role == User.Role.BRANCH_SECRETARY and name in UNIT_REPORTS:
        assert own.status_code == 403
        return
    if name in ADMINISTRATORS_ONLY and role != User.Role.ADMINISTRATOR:
        assert own.status_code == 403
        return
    if (name in BUREAU_STEPS and role == User.Role.UNIT_STAFF) or (
        name in UNIT_STEPS and role in (User.Role.ADMINISTRATOR, User.Role.BUREAU_STAFF)
    ):
        assert own.status_code == 403
        return
    assert own.status_code == 200
    if kind in (None, "holiday", "report_slug", "checkup_campaign"):
        return
    other = client.get(url_for(name, kind, records["theirs"]))
    sees_everything = role in (User.Role.ADMINISTRATOR, User.Role.BUREAU_STAFF)
    if kind in OWN_ONLY:
        sees_everything = role == User.Role.ADMINISTRATOR
    assert other.status_code == (200 if sees_everything else 404)


def test_pages_that_record_are_classified_once():
    assert not EDITING & BRANCH_SECRETARY_WRITES
    assert set(PAGES) >= EDITING | BRANCH_SECRETARY_WRITES


@pytest.mark.parametrize("name", sorted(BRANCH_SECRETARY_WRITES))
def test_branch_secretaries_write_only_for_the_branches_they_lead(client, world, name):
    users, records = world
    kind = PAGES[name]
    # Another branch of the secretary's own unit, which they do not lead.
    other = PartyBranchFactory(unit=records["mine"]["branch"].unit)
    unled = {"branch": other, "meeting": BranchMeetingFactory(branch=other)}
    client.force_login(users[User.Role.BRANCH_SECRETARY])
    assert client.get(url_for(name, kind, records["mine"])).status_code == 200
    assert client.get(url_for(name, kind, unled)).status_code == 404
    client.force_login(users[User.Role.UNIT_STAFF])
    assert client.get(url_for(name, kind, unled)).status_code == 200


# Django admin, walked with each role -------------------------------------------------------
# Every registered ModelAdmin's changelist, add, change, history and delete pages and its
# autocomplete fields, with a record of the viewer's unit and one of another unit whose
# every text carries OTHER_UNIT. Logins are marked staff and given every permission of
# the project's apps (the worst an administrator could grant): the scope still holds.

OTHER_UNIT = "他乡"  # in every name and text of the other unit's records
PROJECT_APP_LABELS = [
    "assistance",
    "accounts",
    "cadres",
    "branches",
    "activities",
    "reminders",
    "ledger",
    "reports",
    "funds",
    "distributions",
    "checkups",
]
# Configuration shared by every unit (not of one unit): the same rows for everyone.
SHARED_ADMIN_MODELS = {
    "cadres.visitoccasion",
    "reminders.holiday",
    "reminders.reminderrule",
    "reminders.planrun",
    "reports.yeartheme",
    "funds.standard",
    "funds.budgetcomputation",
    "reports.scorecardweight",
    "checkups.checkupcampaign",
}
# Third-party admins (permission groups, sign-in failures, schedules): no role's group is
# granted them, so only administrators use them.
THIRD_PARTY_ADMIN_APPS = {"auth", "axes", "django_celery_beat"}


def build_admin_records(unit, tag: str) -> dict:
    """One record of every scoped model, belonging to ``unit``, its texts marked ``tag``."""
    from cadres.models import IdNumberDisclosure
    from reports.models import ExportRecord
    from tests.factories import (
        AttendanceFactory,
        CalendarFeedFactory,
        DeliveryAlertFactory,
        FamilyContactFactory,
        HonourFactory,
        PlanProblemFactory,
        ReminderItemFactory,
        VisitFactory,
    )

    user = UserFactory(unit=unit, full_name=f"{tag}联络员")
    cadre = CadreFactory(unit=unit, name=f"{tag}干部", liaison=user)
    branch = PartyBranchFactory(unit=unit, name=f"{tag}支部")
    team = TeamFactory(unit=unit, name=f"{tag}志愿队")
    activity = ActivityFactory(unit=unit, title=f"{tag}活动")
    digest = DigestFactory(recipient=user)
    return {
        "accounts.unit": unit,
        "accounts.user": user,
        "cadres.cadre": cadre,
        "cadres.familycontact": FamilyContactFactory(cadre=cadre, name=f"{tag}家属"),
        "cadres.visit": VisitFactory(cadre=cadre, notes=f"{tag}走访"),
        "cadres.careneed": CareNeedFactory(cadre=cadre, description=f"{tag}诉求"),
        "cadres.idnumberdisclosure": IdNumberDisclosure.objects.create(user=user, cadre=cadre),
        "branches.partybranch": branch,
        "branches.branchrole": BranchRoleFactory(branch=branch, cadre=cadre),
        "branches.branchmeeting": BranchMeetingFactory(branch=branch, topic=f"{tag}主题党日"),
        "branches.branchaide": BranchAideFactory(branch=branch, user=user, note=f"{tag}协助"),
        "activities.team": team,
        "activities.teammembership": TeamMembershipFactory(team=team, cadre=cadre),
        "activities.activity": activity,
        "activities.attendance": AttendanceFactory(activity=activity, cadre=cadre),
        "activities.honour": HonourFactory(cadre=cadre, title=f"{tag}优秀党员"),
        "activities.suggestion": SuggestionFactory(cadre=cadre, title=f"{tag}建议"),
        "reminders.digest": digest,
        "reminders.reminderitem": ReminderItemFactory(digest=digest, cadre=cadre),
        "reminders.calendarfeed": CalendarFeedFactory(user=user),
        "reminders.planproblem": PlanProblemFactory(cadre=cadre, error=f"{tag}农历生日"),
        "reminders.deliveryalert": DeliveryAlertFactory(last_error=f"{tag}SMTP"),
        "ledger.importjob": ImportJobFactory(user=user, original_name=f"{tag}台账.xlsx"),
        "reports.exportrecord": ExportRecord.objects.create(user=user, kind="cadres"),
        "assistance.assistancecase": AssistanceCaseFactory(
            cadre=cadre, created_by=user, circumstances=f"{tag}困难"
        ),
        **_distribution_admin_records(unit, cadre, tag),
        **_funds_admin_records(unit, tag),
        "checkups.checkup": CheckupFactory(
            campaign=CheckupCampaign.objects.first() or CheckupCampaignFactory(),
            cadre=cadre,
            result_summary=f"{tag}体检",
        ),
    }


def _distribution_admin_records(unit, cadre, tag: str) -> dict:
    distribution = DistributionFactory(unit=unit, title=f"{tag}情况通报")
    return {
        "distributions.distribution": distribution,
        "distributions.delivery": DeliveryFactory(
            distribution=distribution, cadre=cadre, notes=f"{tag}送学上门"
        ),
    }


def _funds_admin_records(unit, tag: str) -> dict:
    line = BudgetLineFactory(unit=unit)
    return {
        "funds.budgetline": line,
        "funds.budgetadjustment": BudgetAdjustmentFactory(line=line, reason=f"{tag}追加"),
        "funds.expense": ExpenseFactory(unit=unit, payee=f"{tag}收款方"),
    }


def registered_admins():
    from django.contrib import admin

    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)


def test_every_registered_admin_is_walked(db):
    mine = build_admin_records(UnitFactory(), "本单位")
    labels = {model._meta.label_lower for model, _ in registered_admins()}
    project = {label for label in labels if label.split(".")[0] not in THIRD_PARTY_ADMIN_APPS}
    assert project == set(mine) | SHARED_ADMIN_MODELS


@pytest.fixture
def admin_world(db):
    from django.contrib.auth.models import Permission

    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    mine_unit = UnitFactory(name="县教育局", code="A", parent=bureau)
    theirs_unit = UnitFactory(name=f"{OTHER_UNIT}财政局", code="C", parent=bureau)
    permissions = list(Permission.objects.filter(content_type__app_label__in=PROJECT_APP_LABELS))
    users = {}
    for role in (User.Role.UNIT_STAFF, User.Role.BRANCH_SECRETARY, User.Role.BUREAU_STAFF):
        user = UserFactory(
            role=role, unit=bureau if role == User.Role.BUREAU_STAFF else mine_unit, is_staff=True
        )
        user.user_permissions.set(permissions)
        users[role] = user
    users[User.Role.ADMINISTRATOR] = User.objects.create_superuser(
        "root", "r@example.com", "pw-x-12345"
    )
    # The secretary leads a branch of their unit, as on the staff site.
    BranchRoleFactory(
        branch=PartyBranchFactory(unit=mine_unit),
        cadre=CadreFactory(unit=mine_unit, account=users[User.Role.BRANCH_SECRETARY]),
        role=BranchRole.Role.SECRETARY,
    )
    records = {
        "mine": build_admin_records(mine_unit, "本单位"),
        "theirs": build_admin_records(theirs_unit, OTHER_UNIT),
    }
    return users, records


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def admin_pages(records):
    """(model admin, URL name, URL, record it shows or None) of every admin page."""
    for model, model_admin in registered_admins():
        label = model._meta.label_lower
        yield model_admin, "changelist", admin_url(model, "changelist"), None
        yield model_admin, "add", admin_url(model, "add"), None
        shared = model._default_manager.first() if label in SHARED_ADMIN_MODELS else None
        for side in ("mine", "theirs"):
            obj = records[side].get(label) or shared
            if obj is None:
                continue
            for view in ("change", "history", "delete"):
                yield model_admin, view, admin_url(model, view, obj.pk), (side, obj)


def autocomplete_requests():
    """The admin autocomplete request of every autocomplete field of every admin."""
    for model, model_admin in registered_admins():
        for field in model_admin.autocomplete_fields:
            yield {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field,
                "term": "",
            }


def test_branch_secretaries_get_no_admin_even_as_staff_with_permissions(client, admin_world):
    users, records = admin_world
    secretary = users[User.Role.BRANCH_SECRETARY]
    client.force_login(secretary)
    login = reverse("admin:login")
    pages = [reverse("admin:index"), *(url for _a, _v, url, _o in admin_pages(records))]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(login), url
    for query in autocomplete_requests():
        response = client.get(reverse("admin:autocomplete"), query)
        assert response.status_code == 302 and response.url.startswith(login), query
    # The login page they land on refuses them, with the reason, and no data.
    refused = client.get(f"{login}?next=/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 403
    assert "admin-refusal" in refused.content.decode()
    assert "党支部书记无权使用管理后台" in refused.content.decode()
    assert "本单位" not in refused.content.decode()
    # Signing in to admin with their password is refused too (not a 500, no session).
    client.logout()
    secretary.set_password("pw-for-tests-1")
    secretary.save()
    response = client.post(login, {"username": secretary.username, "password": "pw-for-tests-1"})
    assert response.status_code == 200
    assert "admin-refusal" not in response.content.decode()
    assert response.context["form"].errors
    assert client.get(reverse("admin:index")).status_code == 302
    # The staff site offers them no link into admin.
    client.force_login(secretary)
    assert reverse("admin:index") not in client.get(reverse("reports:dashboard")).content.decode()


# Admins whose rows are each user's own (administrators see all): import jobs.
OWN_USER_ADMIN_MODELS = {"ledger.importjob"}
# Admins for administrators only, whatever permissions a login holds.
ADMINISTRATOR_ONLY_ADMIN_MODELS = {
    "cadres.idnumberdisclosure",
    "reminders.deliveryalert",
    "funds.standard",
    "funds.budgetcomputation",
}


def expected_admin_status(model_admin, request, view: str, obj) -> int:
    """200 where the ModelAdmin grants the page to the user, else 403."""
    if view == "changelist":
        granted = model_admin.has_view_or_change_permission(request)
    elif view == "add":
        granted = model_admin.has_add_permission(request)
    elif view == "delete":
        granted = model_admin.has_delete_permission(request, obj)
    else:
        granted = model_admin.has_view_or_change_permission(request, obj)
    return 200 if granted else 403


@pytest.mark.parametrize(
    "role", [User.Role.UNIT_STAFF, User.Role.BUREAU_STAFF, User.Role.ADMINISTRATOR]
)
def test_admin_pages_keep_each_role_to_its_scope(client, admin_world, role):
    """Unit staff get their unit's records and never another unit's: its change, history
    and delete pages answer a redirect, 403 or 404 and show none of its text, and no list
    or form shows it. Bureau staff and administrators get every unit's."""
    from django.test import RequestFactory

    users, records = admin_world
    user = users[role]
    client.force_login(user)
    request = RequestFactory().get("/admin/")
    request.user = user
    problems = []
    for model_admin, view, url, shown in admin_pages(records):
        label = model_admin.model._meta.label_lower
        if label.split(".")[0] in THIRD_PARTY_ADMIN_APPS and role != User.Role.ADMINISTRATOR:
            # No role's group is granted these: unit and bureau staff are refused.
            if view == "changelist" and client.get(url).status_code != 403:
                problems.append(f"{url}: open to {role}")
            continue
        response = client.get(url, follow=True)
        body = response.content.decode()
        if label in ADMINISTRATOR_ONLY_ADMIN_MODELS and role != User.Role.ADMINISTRATOR:
            if response.status_code != 403:
                problems.append(f"{url}: {response.status_code} for {role}, not 403")
            continue
        side, obj = shown or ("mine", None)
        if obj is not None and label not in SHARED_ADMIN_MODELS:
            if role != User.Role.ADMINISTRATOR and label in OWN_USER_ADMIN_MODELS:
                visible = False  # neither side's job is the viewer's own
            else:
                visible = side == "mine" or role != User.Role.UNIT_STAFF
            if visible_to(model_admin, request, obj) != visible:
                problems.append(f"{url}: in the queryset of {role}: {not visible}")
            if not visible:
                refused = response.status_code in (403, 404) or (
                    response.redirect_chain
                    and response.redirect_chain[-1][0] == reverse("admin:index")
                )
                if not refused or (side == "theirs" and OTHER_UNIT in body):
                    problems.append(f"{url}: a record outside the scope shown to {role}")
                continue
        expected = expected_admin_status(model_admin, request, view, obj)
        if response.status_code != expected or response.redirect_chain:
            problems.append(f"{url}: {response.status_code} for {role}, not {expected}")
        if role == User.Role.UNIT_STAFF and OTHER_UNIT in body:
            problems.append(f"{url}: another unit's text shown to {role}")
        if view == "changelist" and expected == 200:
            listed = set(response.context["cl"].result_list)
            mine, theirs = records["mine"].get(label), records["theirs"].get(label)
            if label in SHARED_ADMIN_MODELS or mine is None:
                continue
            if role != User.Role.ADMINISTRATOR and label in OWN_USER_ADMIN_MODELS:
                continue  # neither side's job is the viewer's own
            if mine not in listed:
                problems.append(f"{url}: the viewer's own unit's row is missing for {role}")
            if (theirs in listed) != (role != User.Role.UNIT_STAFF):
                problems.append(f"{url}: another unit's row listed wrongly for {role}")
    assert problems == []


def visible_to(model_admin, request, obj) -> bool:
    return model_admin.get_queryset(request).filter(pk=obj.pk).exists()


@pytest.mark.parametrize("role", [User.Role.UNIT_STAFF, User.Role.BUREAU_STAFF])
def test_admin_autocomplete_offers_only_the_viewers_records(client, admin_world, role):
    users, records = admin_world
    client.force_login(users[role])
    problems = []
    for query in autocomplete_requests():
        response = client.get(reverse("admin:autocomplete"), query)
        if response.status_code == 403:  # a field whose records the role may not view
            continue
        assert response.status_code == 200, query
        text = response.content.decode()
        if role == User.Role.UNIT_STAFF and OTHER_UNIT in text:
            problems.append(query)
    assert problems == []
    # The search is live: unit staff find their own unit's cadre.
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cadres", "model_name": "visit", "field_name": "cadre", "term": "干部"},
    ).json()["results"]
    assert str(records["mine"]["cadres.cadre"].pk) in {item["id"] for item in found}


# What the lists show ------------------------------------------------------------------------
# Every list page of the staff site (and its downloads and the calendar feed) shows only
# rows of the viewer's scope. Two units; in the viewer's unit two branches, the secretary
# leading one. Everything about a cadre of the other unit carries OTHER_UNIT, everything
# about a cadre of the viewer's unit outside the secretary's branch OUTSIDE_BRANCH — each
# is due for a birthday, in hospital, with an overdue need, a visit, an honour, a
# suggestion, a team they lead, an activity they attended and a liaison.

OUTSIDE_BRANCH = "支外"  # in everything about the unit's cadres outside the secretary's branch
# Lists that show every cadre in scope with this fixture (checked with administrators, so
# that the other units' rows would be seen there if the scope failed).
LISTS_OF_EVERY_CADRE = {
    "reports:dashboard",
    "cadres:registry",
    "cadres:visits",
    "cadres:visit_todo",
    "cadres:needs",
    "activities:honours",
    "activities:suggestions",
    "activities:teams",
    "reminders:campaign",
    "funds:reach",
}


@pytest.fixture
def lists_world(db):
    import datetime
    import zoneinfo

    import time_machine

    from cadres.models import Health, VisitOccasion
    from tests.factories import AttendanceFactory, HonourFactory, VisitFactory

    moment = datetime.datetime(2026, 6, 10, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
        mine = UnitFactory(name="县教育局", code="A", parent=bureau)
        theirs = UnitFactory(name=f"{OTHER_UNIT}财政局", code="C", parent=bureau)
        users = {
            User.Role.UNIT_STAFF: UserFactory(unit=mine, full_name="本单位联络员"),
            User.Role.BRANCH_SECRETARY: UserFactory(unit=mine, role=User.Role.BRANCH_SECRETARY),
            User.Role.BUREAU_STAFF: UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF),
            User.Role.ADMINISTRATOR: User.objects.create_superuser("root", "r@x.cn", "pw-x-1234"),
        }
        their_staff = UserFactory(unit=theirs, full_name=f"{OTHER_UNIT}联络员")
        DigestFactory(recipient=their_staff, status=Digest.Status.FAILED)
        routine = VisitOccasion.objects.get(code="routine")
        # A 春节 standard: the per-head report lists every cadre in scope (none visited).
        StandardFactory(year=2026)

        def cadre(name: str, unit, liaison, *, team_name: str, activity_title: str):
            person = CadreFactory(
                name=name,
                unit=unit,
                liaison=liaison,
                birth_date=datetime.date(1946, 6, 15),  # 80 in five days
                health=Health.IN_HOSPITAL,
                health_changed_on=datetime.date(2026, 5, 1),
            )
            VisitFactory(cadre=person, occasion=routine, visited_on=datetime.date(2026, 5, 2))
            VisitFactory(
                cadre=person,
                occasion=routine,
                status="planned",
                visited_on=None,
                due_on=PLANNED_DUE,
            )
            CareNeedFactory(
                cadre=person, due_on=datetime.date(2026, 6, 1), description=f"{name}的诉求"
            )
            HonourFactory(cadre=person, title=f"{name}的荣誉")
            SuggestionFactory(cadre=person, title=f"{name}的建议")
            team = TeamFactory(unit=unit, name=team_name)
            TeamMembershipFactory(team=team, cadre=person, is_leader=True)
            activity = ActivityFactory(
                unit=unit, title=activity_title, starts_at=moment - datetime.timedelta(days=3)
            )
            AttendanceFactory(activity=activity, cadre=person, status="attended")
            return person

        staff = users[User.Role.UNIT_STAFF]
        led = PartyBranchFactory(unit=mine, name="第一支部")
        other_branch = PartyBranchFactory(unit=mine, name="第二支部")
        BranchRoleFactory(
            branch=led,
            cadre=CadreFactory(
                unit=mine, name="书记本人", account=users[User.Role.BRANCH_SECRETARY]
            ),
            role=BranchRole.Role.SECRETARY,
        )
        member = cadre("支内甲", mine, staff, team_name="夕阳红队", activity_title="健康讲座")
        BranchRoleFactory(branch=led, cadre=member)
        outsider = cadre(
            f"{OUTSIDE_BRANCH}乙", mine, staff, team_name="合唱队", activity_title="书法课"
        )
        BranchRoleFactory(branch=other_branch, cadre=outsider)
        stranger = cadre(
            f"{OTHER_UNIT}丙",
            theirs,
            their_staff,
            team_name=f"{OTHER_UNIT}志愿队",
            activity_title=f"{OTHER_UNIT}义诊",
        )
        BranchRoleFactory(
            branch=PartyBranchFactory(unit=theirs, name=f"{OTHER_UNIT}支部"), cadre=stranger
        )
        yield users, {"member": member, "outsider": outsider, "stranger": stranger}


def list_pages():
    """Every staff-site page without a record in its address (the lists, the dashboard,
    the reports and the export forms), each holiday's campaign and each report table."""
    from reports.statistics import STANDARD_TABLES

    urls = [reverse(name) for name, kind in sorted(PAGES.items()) if kind is None]
    urls += [
        reverse("reminders:campaign_holiday", args=[pk])
        for pk in Holiday.objects.filter(is_active=True).values_list("pk", flat=True)
    ]
    urls += [reverse("reports:table", args=[table.slug]) for table in STANDARD_TABLES]
    return urls


def record_pages(user) -> list[str]:
    """The pages of every activity, team and branch the user may open."""
    from activities.selectors import activities_visible_to, branches_visible_to, teams_visible_to

    return [
        record.get_absolute_url()
        for selector in (activities_visible_to, teams_visible_to, branches_visible_to)
        for record in selector(user=user)
    ]


def downloads(client):
    """The text of every download a list offers: the report tables, the three exports
    and the calendar feed (the .xlsx files read as their XML)."""
    import io
    import zipfile

    from reminders.models import CalendarFeed
    from reports.exports import ledger_columns
    from reports.statistics import STANDARD_TABLES

    def unzipped(response) -> str:
        content = b"".join(response.streaming_content) if response.streaming else response.content
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "".join(book.read(name).decode() for name in book.namelist())

    period = {"date_from": "2020-01-01", "date_to": "2026-12-31"}
    responses = {
        f"table {table.slug}": client.get(
            reverse("reports:table", args=[table.slug]), {"format": "xlsx"}
        )
        for table in STANDARD_TABLES
    }
    responses["cadres"] = client.post(
        reverse("reports:export_cadres"), {"columns": [c.key for c in ledger_columns()]}
    )
    responses["visits"] = client.post(reverse("reports:export_visits"), period)
    responses["scorecard"] = client.get(reverse("reports:scorecard"), {"format": "xlsx"})
    responses["attendance"] = client.post(reverse("reports:export_attendance"), period)
    for page in ("funds:report", "funds:reach"):
        key = page.replace(":", "_")  # the feed's token below is made of the last key
        responses[key] = client.get(reverse(page), {"year": 2026, "format": "xlsx"})
    texts = {}
    for name, response in responses.items():
        if response.status_code == 403:  # not for this role
            continue
        assert response.status_code == 200, name
        texts[name] = unzipped(response)
    feed = CalendarFeed.objects.create(user=response.wsgi_request.user, token=f"t-{name}")
    texts["feed"] = client.get(reverse("reminders:feed", args=[feed.token])).content.decode()
    return texts


@pytest.mark.parametrize(
    ("role", "hidden", "shown"),
    [
        (User.Role.UNIT_STAFF, [OTHER_UNIT], [OUTSIDE_BRANCH, "支内甲"]),
        (User.Role.BRANCH_SECRETARY, [OTHER_UNIT, OUTSIDE_BRANCH], ["支内甲"]),
        (User.Role.BUREAU_STAFF, [], [OTHER_UNIT, OUTSIDE_BRANCH, "支内甲"]),
        (User.Role.ADMINISTRATOR, [], [OTHER_UNIT, OUTSIDE_BRANCH, "支内甲"]),
    ],
)
def test_every_list_shows_only_rows_of_the_viewers_scope(client, lists_world, role, hidden, shown):
    import datetime
    import zoneinfo

    import time_machine

    users, _cadres = lists_world
    client.force_login(users[role])
    moment = datetime.datetime(2026, 6, 10, 10, 5, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    problems = []
    with time_machine.travel(moment, tick=False):
        for url in list_pages():
            response = client.get(url, follow=True)
            if response.status_code == 403 and role == User.Role.BRANCH_SECRETARY:
                continue  # a page that records, refused to those who read
            if response.status_code == 403 and url in {
                reverse(n) for n in MONEY_ADMINISTRATORS | MONEY_BUREAU if PAGES[n] is None
            }:
                continue
            if response.status_code == 403 and url in map(reverse, ADMINISTRATORS_ONLY):
                continue
            assert response.status_code == 200, url
            body = response.content.decode(errors="replace")
            problems += [f"{url} shows {mark}" for mark in hidden if mark in body]
            if reverse("reports:dashboard") == url or url in map(reverse, LISTS_OF_EVERY_CADRE):
                problems += [f"{url} lacks {mark}" for mark in shown if mark not in body]
        # The pages of the unit-wide records the viewer opens from those lists (an
        # activity, a team, a branch) list people too: the same holds there.
        for url in record_pages(users[role]):
            body = client.get(url).content.decode()
            problems += [f"{url} shows {mark}" for mark in hidden if mark in body]
        for name, text in downloads(client).items():
            problems += [f"{name} shows {mark}" for mark in hidden if mark in text]
            if name in ("cadres", "visits", "attendance", "feed"):
                problems += [f"{name} lacks {mark}" for mark in shown if mark not in text]
    assert problems == []
