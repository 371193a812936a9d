"""Every model of the project's apps has an admin whose changelist, add and change pages
answer 200, with a number of queries that does not grow with the rows listed."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Unit, User
from tests import factories
from tests.funds import factories as funds_factories

pytestmark = pytest.mark.django_db

PROJECT_APPS = ["accounts", "cadres", "branches", "activities", "reminders", "funds"]

FACTORIES = {
    "accounts.unit": factories.UnitFactory,
    "accounts.user": factories.UserFactory,
    "cadres.cadre": factories.CadreFactory,
    "cadres.idnumberdisclosure": factories.IdNumberDisclosureFactory,
    "cadres.familycontact": factories.FamilyContactFactory,
    "cadres.visit": factories.VisitFactory,
    "cadres.careneed": factories.CareNeedFactory,
    "cadres.visitoccasion": None,  # seeded by a migration
    "branches.partybranch": factories.PartyBranchFactory,
    "branches.branchrole": factories.BranchRoleFactory,
    "branches.branchmeeting": factories.BranchMeetingFactory,
    "branches.branchaide": factories.BranchAideFactory,
    "activities.team": factories.TeamFactory,
    "activities.teammembership": factories.TeamMembershipFactory,
    "activities.activity": factories.ActivityFactory,
    "activities.attendance": factories.AttendanceFactory,
    "activities.honour": factories.HonourFactory,
    "activities.suggestion": factories.SuggestionFactory,
    "reminders.holiday": None,  # seeded by a migration
    "reminders.reminderrule": None,  # seeded by a migration
    "reminders.planrun": factories.PlanRunFactory,
    "reminders.digest": factories.DigestFactory,
    "reminders.reminderitem": factories.ReminderItemFactory,
    "reminders.calendarfeed": factories.CalendarFeedFactory,
    "reminders.planproblem": factories.PlanProblemFactory,
    "reminders.deliveryalert": factories.DeliveryAlertFactory,
    "funds.standard": funds_factories.StandardFactory,
    "funds.budgetcomputation": funds_factories.BudgetComputationFactory,
    "funds.budgetline": funds_factories.BudgetLineFactory,
    "funds.budgetadjustment": funds_factories.BudgetAdjustmentFactory,
    "funds.expense": funds_factories.ExpenseFactory,
}
SEEDED = {label for label, factory in FACTORIES.items() if factory is None}


def project_models():
    return [
        model
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.label_lower.split(".")[1].startswith("historical")
    ]


def test_every_project_model_is_in_admin_and_has_a_factory():
    labels = {model._meta.label_lower for model in project_models()}
    assert labels == set(FACTORIES)
    missing = [label for label in labels if apps.get_model(label) not in admin.site._registry]
    assert missing == []


def make(label, count=1):
    factory = FACTORIES[label]
    if factory is None:
        return list(apps.get_model(label).objects.all()[:count])
    return [factory() for _ in range(count)]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("label", sorted(FACTORIES))
def test_admin_pages_answer(client, superuser, label):
    model = apps.get_model(label)
    obj = make(label)[0]
    client.force_login(superuser)
    for page in (url(model, "changelist"), url(model, "change", obj.pk)):
        response = client.get(page)
        assert response.status_code == 200, page
    # Outbox rows and seeded rules are made by the system, never added by hand.
    can_add = admin.site._registry[model].has_add_permission(_request(superuser))
    assert client.get(url(model, "add")).status_code == (200 if can_add else 403)
    history = client.get(url(model, "history", obj.pk))
    assert history.status_code == 200


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.parametrize("label", sorted(set(FACTORIES) - SEEDED))
def test_changelist_queries_do_not_grow_with_rows(client, superuser, label):
    model = apps.get_model(label)
    client.force_login(superuser)
    make(label, 2)
    client.get(url(model, "changelist"))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(model, "changelist")).status_code == 200
    make(label, 15)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(model, "changelist")).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 15


def test_cadre_changelist_masks_id_numbers_and_reads_in_chinese(client, superuser):
    cadre = factories.CadreFactory(name="张三")
    client.force_login(superuser)
    response = client.get(url(cadre.__class__, "changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert cadre.id_number not in body
    assert cadre.masked_id_number in body
    assert "离退休干部" in body and "身份证号" in body


def test_admin_search_finds_by_pinyin_initials_and_id_tail(client, superuser):
    zhang = factories.CadreFactory(name="张三")
    factories.CadreFactory(name="李四")
    client.force_login(superuser)
    changelist = url(zhang.__class__, "changelist")
    found = client.get(changelist, {"q": "zs"}).context["cl"].result_list
    assert list(found) == [zhang]
    found = client.get(changelist, {"q": zhang.id_number[-4:]}).context["cl"].result_list
    assert list(found) == [zhang]


def test_cadres_cannot_be_deleted_in_admin(client, superuser):
    cadre = factories.CadreFactory()
    client.force_login(superuser)
    assert client.get(url(cadre.__class__, "delete", cadre.pk)).status_code == 403


def test_english_is_available(client, superuser):
    superuser.language = "en"
    superuser.save()
    client.force_login(superuser)
    body = client.get(reverse("admin:index")).content.decode()
    assert "Retired cadres" in body


def test_createsuperuser_makes_an_administrator(db):
    user = User.objects.create_superuser("boss", "boss@example.com", "pw-for-tests-1")
    assert user.role == User.Role.ADMINISTRATOR and user.unit is None


def test_staff_other_than_administrators_belong_to_a_unit(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=User.Role.UNIT_STAFF, unit=None)
    assert Unit.objects.count() == 0


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client, superuser):
    client.force_login(superuser)
    body = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "离退休干部" in body.content.decode()
    # The admin's language switch is the staff site's: it is kept on the login.
    switched = client.post(reverse("accounts:language"), {"language": "en", "next": "/admin/"})
    assert switched.status_code == 302 and switched.url == "/admin/"
    assert "Retired cadres" in client.get(reverse("admin:index")).content.decode()
    superuser.refresh_from_db()
    assert superuser.language == "en"
