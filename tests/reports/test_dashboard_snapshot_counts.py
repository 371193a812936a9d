"""The dashboard's open lists are counted from the daily snapshot, less what a visit or a
status change has settled since; its chart reads the snapshot's months plus the visits
made since. These figures must equal what a live count over the register gives."""

import datetime

import pytest
from django.urls import reverse

from cadres.models import Health, RetirementKind, Visit, VisitOccasion
from cadres.services import cadre_mark_deceased
from reminders.models import ReminderRule
from reports.models import DashboardUnitFigures
from reports.services import dashboard_refresh
from tests.factories import CadreFactory, UserFactory, VisitFactory

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


@pytest.fixture
def overdue_cadres(unit_a):
    """Four 退休 cadres last visited long ago (overdue), one of them in hospital."""
    rule = ReminderRule.objects.get(kind="overdue_visit")
    old = datetime.date.today() - datetime.timedelta(days=(rule.threshold_days_tuixiu or 180) + 30)
    cadres = []
    for _ in range(4):
        cadre = CadreFactory(unit=unit_a, retirement_kind=RetirementKind.TUIXIU)
        VisitFactory(cadre=cadre, visited_on=old)
        cadres.append(cadre)
    return cadres


def _routine():
    return VisitOccasion.objects.get(code="routine")


def test_overdue_count_reads_the_snapshot_and_follows_visits_and_deaths(
    client, staff, unit_a, overdue_cadres
):
    snapshot = dashboard_refresh(day=datetime.date.today())
    stored = DashboardUnitFigures.objects.get(snapshot=snapshot, unit=unit_a).figures
    assert stored["pending_overdue"] == 4
    client.force_login(staff)
    assert client.get(URL).context["overdue_count"] == 4

    VisitFactory(cadre=overdue_cadres[0], visited_on=datetime.date.today(), occasion=_routine())
    context = client.get(URL).context
    assert context["overdue_count"] == 3
    assert overdue_cadres[0].pk not in {item.cadre_id for item in context["overdue"]}

    cadre_mark_deceased(cadre=overdue_cadres[1], died_on=datetime.date.today(), by=staff)
    assert client.get(URL).context["overdue_count"] == 2


def test_the_count_is_the_stored_figure_not_a_walk_of_the_entries(
    client, staff, unit_a, overdue_cadres
):
    """Proof that the figure is read, not counted: a stored figure changed by hand shows."""
    snapshot = dashboard_refresh(day=datetime.date.today())
    row = DashboardUnitFigures.objects.get(snapshot=snapshot, unit=unit_a)
    row.figures["pending_overdue"] = 40
    row.save()
    client.force_login(staff)
    assert client.get(URL).context["overdue_count"] == 40


def test_holiday_remaining_follows_a_holiday_visit_recorded_since(client, staff, unit_a):
    cadres = [CadreFactory(unit=unit_a) for _ in range(3)]
    snapshot = dashboard_refresh(day=datetime.date.today())
    client.force_login(staff)
    before = client.get(URL).context["holiday"]
    assert before is not None and before["remaining"] == 3
    window_day = max(datetime.date.today(), snapshot.holiday_date - datetime.timedelta(days=10))
    VisitFactory(cadre=cadres[0], occasion=snapshot.holiday.occasion, visited_on=window_day)
    after = client.get(URL).context["holiday"]
    assert after["remaining"] == 2 and after["audience"] == 3


def test_a_branch_secretarys_counts_are_live(client, unit_a, overdue_cadres):
    """A secretary's cadres are a few branches' members, not whole units: counted live,
    they agree with the unit's stored figure for the same cadres."""
    from branches.models import BranchRole
    from tests.factories import BranchRoleFactory, PartyBranchFactory

    branch = PartyBranchFactory(unit=unit_a)
    secretary_cadre = CadreFactory(unit=unit_a)
    secretary = UserFactory(unit=unit_a, role="branch_secretary")
    secretary_cadre.account = secretary
    secretary_cadre.save()
    BranchRoleFactory(branch=branch, cadre=secretary_cadre, role=BranchRole.Role.SECRETARY)
    for cadre in overdue_cadres[:2]:
        BranchRoleFactory(branch=branch, cadre=cadre, role=BranchRole.Role.MEMBER)
    dashboard_refresh(day=datetime.date.today())
    client.force_login(secretary)
    assert client.get(URL).context["overdue_count"] == 2


def test_chart_months_come_from_the_snapshot_and_today_live(client, staff, unit_a):
    today = datetime.date.today()
    cadre = CadreFactory(unit=unit_a)
    earlier = today.replace(day=1) - datetime.timedelta(days=20)
    VisitFactory(cadre=cadre, visited_on=earlier, occasion=_routine())
    dashboard_refresh(day=today)
    # Gone from the table after the snapshot: the chart still shows it (read from the
    # snapshot's months), and a visit made today is added live.
    Visit.objects.filter(cadre=cadre).delete()
    VisitFactory(cadre=cadre, visited_on=today, occasion=_routine())
    client.force_login(staff)
    chart = client.get(URL).context["visits_chart"]
    assert sum(total for _label, total in chart["totals"]) == 2


def test_care_needs_past_due_are_counted_beyond_those_shown(client, staff, unit_a):
    from tests.factories import CareNeedFactory

    past = datetime.date.today() - datetime.timedelta(days=3)
    for _ in range(32):
        CareNeedFactory(cadre=CadreFactory(unit=unit_a), due_on=past)
    gone = CadreFactory(unit=unit_a, health=Health.IN_HOSPITAL)
    CareNeedFactory(cadre=gone, due_on=past)
    cadre_mark_deceased(cadre=gone, died_on=datetime.date.today(), by=staff)
    client.force_login(staff)
    context = client.get(URL).context
    assert len(context["needs"]) == 30 and context["needs_count"] == 32


def test_care_needs_past_due_on_the_whole_register(client, unit_a):
    """Bureau staff see the whole register: the count is the needs less those of
    cadres who have left it."""
    from tests.factories import CareNeedFactory

    bureau = UserFactory(role="bureau_staff", unit=unit_a.parent or unit_a)
    past = datetime.date.today() - datetime.timedelta(days=3)
    for _ in range(3):
        CareNeedFactory(cadre=CadreFactory(unit=unit_a), due_on=past)
    gone = CadreFactory(unit=unit_a)
    CareNeedFactory(cadre=gone, due_on=past)
    cadre_mark_deceased(cadre=gone, died_on=datetime.date.today(), by=bureau)
    client.force_login(bureau)
    context = client.get(URL).context
    assert context["needs_count"] == 3
    assert gone.pk not in {item.cadre_id for item in context["needs"]}


def test_birthday_count_reads_the_days_stored_and_follows_deaths(client, staff, unit_a):
    soon = datetime.date.today() + datetime.timedelta(days=4)
    cadres = [
        CadreFactory(unit=unit_a, birth_date=soon.replace(year=soon.year - 75)) for _ in range(3)
    ]
    snapshot = dashboard_refresh(day=datetime.date.today())
    stored = DashboardUnitFigures.objects.get(snapshot=snapshot, unit=unit_a).figures
    assert stored["birthdays_by_day"] == {soon.isoformat(): 3}
    client.force_login(staff)
    assert client.get(URL).context["birthdays_count"] == 3
    cadre_mark_deceased(cadre=cadres[0], died_on=datetime.date.today(), by=staff)
    context = client.get(URL).context
    assert context["birthdays_count"] == 2
    assert cadres[0].pk not in {item.cadre_id for item in context["birthdays"]}


def test_the_rows_read_in_the_users_language(client, staff, unit_a, overdue_cadres):
    soon = datetime.date.today() + datetime.timedelta(days=4)
    born = soon.replace(year=soon.year - 75)
    birthday = CadreFactory(unit=unit_a, birth_date=born)
    dashboard_refresh(day=datetime.date.today())
    client.force_login(staff)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="/cadres/{birthday.pk}/"' in page and "75岁" in page
    assert "已" in page and "天未走访" in page and "逾期" in page
    assert "years old" not in page and "days overdue" not in page
