import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Health, LivingSituation, VisitOccasion
from tests.factories import CadreFactory, UserFactory, VisitFactory

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


def test_figures_are_counted_within_the_users_units(client, staff, unit_a, unit_b):
    today = datetime.date.today()
    CadreFactory(unit=unit_a, living_situation=LivingSituation.ALONE)
    CadreFactory(
        unit=unit_a, health=Health.IN_HOSPITAL, birth_date=datetime.date(today.year - 91, 1, 1)
    )
    CadreFactory(unit=unit_a, status="deceased", died_on=datetime.date(2026, 1, 5))
    CadreFactory(unit=unit_b)
    client.force_login(staff)
    figures = client.get(URL).context["figures"]
    assert figures["on_register"] == 2
    assert (figures["alone"], figures["hospital"], figures["party"]) == (1, 1, 2)
    assert figures["band_NINETY_PLUS"] == 1 and figures["band_UP_TO_69"] == 0


def test_recording_a_visit_changes_the_dashboard(client, staff, unit_a):
    cadre = CadreFactory(
        unit=unit_a, health=Health.IN_HOSPITAL, health_changed_on=datetime.date(2026, 1, 1)
    )
    client.force_login(staff)
    before = client.get(URL).context
    assert [i.cadre_id for i in before["overdue"]][:1] == [cadre.pk]
    VisitFactory(
        cadre=cadre,
        visited_on=datetime.date.today(),
        occasion=VisitOccasion.objects.get(code="hospital"),
    )
    after = client.get(URL).context
    assert cadre.pk not in {i.cadre_id for i in after["overdue"] if i.kind == "hospital_visit"}
    assert sum(total for _label, total in after["visits_chart"]["totals"]) == 1


def test_birthdays_and_the_next_holiday(client, staff, unit_a):
    soon = datetime.date.today() + datetime.timedelta(days=5)
    cadre = CadreFactory(unit=unit_a, birth_date=soon.replace(year=soon.year - 90))
    client.force_login(staff)
    context = client.get(URL).context
    [birthday] = context["birthdays"]
    assert birthday.cadre_id == cadre.pk and birthday.details["milestone"]
    holiday = context["holiday"]
    assert holiday["remaining"] <= holiday["audience"] and holiday["days"] >= 0


def test_query_count_does_not_grow_with_rows(client, staff, unit_a):
    client.force_login(staff)
    client.get(URL)  # the day's snapshot
    # A visit since the snapshot in both measures: the open lists' counts then read
    # the cadres changed since, a query whose number does not grow with them either.
    VisitFactory(cadre=CadreFactory(unit=unit_a))
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(25):
        VisitFactory(cadre=CadreFactory(unit=unit_a, health=Health.IN_HOSPITAL))
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


def test_birthdays_beyond_those_shown_are_counted(client, staff, unit_a, monkeypatch):
    monkeypatch.setattr("reports.dashboard_lists.BIRTHDAYS_SHOWN", 2)
    soon = datetime.date.today() + datetime.timedelta(days=3)
    for _ in range(3):
        CadreFactory(unit=unit_a, birth_date=soon.replace(year=soon.year - 80))
    client.force_login(staff)
    context = client.get(URL).context
    assert context["birthdays_count"] == 3 and len(context["birthdays"]) == 2


def test_visit_charts_count_the_users_units_only(client, staff, unit_a, unit_a_child, unit_b):
    today = datetime.date.today()
    VisitFactory(cadre=CadreFactory(unit=unit_a), visited_on=today)
    VisitFactory(cadre=CadreFactory(unit=unit_a_child), visited_on=today)
    CadreFactory(unit=unit_a)
    VisitFactory(cadre=CadreFactory(unit=unit_b), visited_on=today)
    client.force_login(staff)
    context = client.get(URL).context
    assert sum(total for _label, total in context["visits_chart"]["totals"]) == 2
    coverage = {row["label"]: row["note"] for row in context["coverage_chart"]["rows"]}
    assert coverage == {unit_a.name: "2/3"}


def test_lists_are_ordered_by_urgency_then_pinyin(client, staff, unit_a):
    """Overdue visits and needs past due: the most days overdue first; birthdays: the
    soonest first; the same day in pinyin order (every 陈 before 程)."""
    import zoneinfo

    import time_machine

    from reminders.models import ReminderKind, ReminderRule
    from tests.factories import CareNeedFactory

    moment = datetime.datetime(2026, 6, 10, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    today = moment.date()
    rule = ReminderRule.objects.get(kind=ReminderKind.OVERDUE_VISIT)
    routine = VisitOccasion.objects.get(code="routine")
    with time_machine.travel(moment, tick=False):

        def cadre(name, kind, last_visit, **fields):
            person = CadreFactory(
                unit=unit_a,
                name=name,
                retirement_kind=kind,
                birth_date=fields.pop("birth_date", datetime.date(1950, 1, 1)),
                **fields,
            )
            VisitFactory(cadre=person, occasion=routine, visited_on=last_visit)
            return person

        # Overdue for 5 days (in hospital, 8 days since admission, no visit since).
        cadre(
            "住院丁",
            "tuixiu",
            datetime.date(2026, 1, 1),
            health=Health.IN_HOSPITAL,
            health_changed_on=today - datetime.timedelta(days=8),
        )
        # Overdue for 100 and for 10 days, and two for 40 days (程 after 陈).
        long_ago = rule.threshold_days_tuixiu + 100
        cadre("久违甲", "tuixiu", today - datetime.timedelta(days=long_ago))
        cadre("不久乙", "tuixiu", today - datetime.timedelta(days=rule.threshold_days_tuixiu + 10))
        for name in ("程丙", "陈丙"):
            cadre(name, "tuixiu", today - datetime.timedelta(days=rule.threshold_days_tuixiu + 40))
        for due, text in ((datetime.date(2026, 5, 1), "五月"), (datetime.date(2026, 3, 1), "三月")):
            CareNeedFactory(
                cadre=CadreFactory(unit=unit_a),
                raised_on=datetime.date(2026, 2, 1),
                due_on=due,
                description=text,
            )
        soon = today + datetime.timedelta(days=3)
        later = today + datetime.timedelta(days=9)
        for name, day in (("程生", soon), ("晚生", later), ("陈生", soon)):
            CadreFactory(unit=unit_a, name=name, birth_date=day.replace(year=1946))
        client.force_login(staff)
        response = client.get(URL)
        staff.language = "en"
        staff.save()
        english = client.get(URL).content.decode()
    context = response.context
    body = response.content.decode()
    assert "逾期100天" in body and "2026年6月10日" in body and "6月13日 · 80岁" in body
    assert "100 days overdue" in english and "June 10, 2026" in english
    assert "June 13 · 80 years old" in english
    # The visits chart's months: this one and the eleven before it.
    axis = [tick["label"] for tick in response.context["visits_chart"]["axis"]]
    assert axis[-2:] == ["5月", "6月"] and len(axis) == 12
    assert ">Jun<" in english and "6月" not in english
    overdue = [(item.details["name"], item.details["overdue_days"]) for item in context["overdue"]]
    assert overdue == [
        ("久违甲", 100),
        ("陈丙", 40),
        ("程丙", 40),
        ("不久乙", 10),
        ("住院丁", 5),
    ]
    assert [item.details["description"] for item in context["needs"]] == ["三月", "五月"]
    assert [item.details["overdue_days"] for item in context["needs"]] == [101, 40]
    assert [item.details["name"] for item in context["birthdays"]] == ["陈生", "程生", "晚生"]


def test_a_visit_recorded_now_leaves_the_overdue_list_now(client, staff, unit_a):
    from cadres.visit_services import visit_record
    from reports.services import dashboard_refresh

    today = datetime.date.today()
    cadre = CadreFactory(unit=unit_a, retirement_kind="tuixiu")
    VisitFactory(cadre=cadre, visited_on=today - datetime.timedelta(days=2000))
    dashboard_refresh(day=today)
    client.force_login(staff)
    before = client.get(URL).context
    assert cadre.pk in {item.cadre_id for item in before["overdue"]}
    visit_record(
        by=staff,
        cadre=cadre,
        occasion=VisitOccasion.objects.get(code="routine"),
        visited_on=today,
        mode="home",
    )
    after = client.get(URL).context
    assert cadre.pk not in {item.cadre_id for item in after["overdue"]}
    assert after["overdue_count"] == before["overdue_count"] - 1


def test_the_dashboard_reads_the_snapshot_not_the_rules(client, staff, unit_a, monkeypatch):
    from reports.services import dashboard_refresh

    soon = datetime.date.today() + datetime.timedelta(days=2)
    CadreFactory(unit=unit_a, birth_date=soon.replace(year=soon.year - 80))
    dashboard_refresh(day=datetime.date.today())

    def walks_the_register(*args, **kwargs):
        raise AssertionError("the dashboard ran the reminder rules over the register")

    for name in ("reminders.rules.active_cadres", "reports.services.active_cadres"):
        monkeypatch.setattr(name, walks_the_register)
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200 and response.context["birthdays_count"] == 1


def test_query_count_does_not_grow_with_the_register(client, staff, unit_a):
    from reports.services import dashboard_refresh

    today = datetime.date.today()
    client.force_login(staff)
    VisitFactory(cadre=CadreFactory(unit=unit_a))
    dashboard_refresh(day=today)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for days in range(25):
        CadreFactory(
            unit=unit_a,
            health=Health.IN_HOSPITAL,
            birth_date=(today + datetime.timedelta(days=days % 10)).replace(year=1940),
        )
    dashboard_refresh(day=today)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.context["birthdays_count"] >= 25
    assert len(many) == len(few)


def test_the_charts_draw_their_bars(client, staff, unit_a):
    """Each bar is an SVG rectangle with its title (not its text escaped), in the
    visits chart, the age chart and the coverage chart alike."""
    today = datetime.date.today()
    VisitFactory(cadre=CadreFactory(unit=unit_a, name="<甲>"), visited_on=today)
    client.force_login(staff)
    response = client.get(URL)
    body = response.content.decode()
    bars = response.context["visits_chart"]["bars"] + response.context["age_chart"]["bars"]
    assert bars and all(f'<rect x="{bar.x}" y="{bar.y}"' in body for bar in bars)
    assert f"<title>{bars[0].title}</title>" in body and "Bar(" not in body
    assert f"<title>{unit_a.name} 1/1</title>" in body
    assert "&lt;rect" not in body and "<甲>" not in body
