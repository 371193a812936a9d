"""Django admin, walked with each role: every registered ModelAdmin's changelist, add,
change, history and delete pages and its autocomplete fields, with a record of the viewer's
unit and one of another unit whose every text carries OTHER_UNIT. Logins are marked staff
and given every permission of the project's apps (the worst an administrator could grant):
the scope still holds."""

import pytest
from django.urls import reverse

from accounts.models import User
from branches.models import BranchRole
from checkups.models import CheckupCampaign
from tests.access_world import OTHER_UNIT
from tests.factories import (
    ActivityFactory,
    AssistanceCaseFactory,
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
    ImportJobFactory,
    PartyBranchFactory,
    SuggestionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UnitFactory,
    UserFactory,
)
from tests.funds.factories import BudgetAdjustmentFactory, BudgetLineFactory, ExpenseFactory

pytestmark = pytest.mark.django_db


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
