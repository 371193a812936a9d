"""What the lists show: every list page of the staff site (and its downloads and the
calendar feed) shows only rows of the viewer's scope. Two units; in the viewer's unit two
branches, the secretary leading one. Everything about a cadre of the other unit carries
OTHER_UNIT, everything about a cadre of the viewer's unit outside the secretary's branch
OUTSIDE_BRANCH — each is due for a birthday, in hospital, with an overdue need, a visit, an
honour, a suggestion, a team they lead, an activity they attended and a liaison."""

import pytest
from django.urls import reverse

from accounts.models import User
from branches.models import BranchRole
from reminders.models import Digest, Holiday
from tests.access_pages import ADMINISTRATORS_ONLY, MONEY_ADMINISTRATORS, MONEY_BUREAU, PAGES
from tests.access_world import OTHER_UNIT, PLANNED_DUE
from tests.factories import (
    ActivityFactory,
    BranchRoleFactory,
    CadreFactory,
    CareNeedFactory,
    DigestFactory,
    PartyBranchFactory,
    SuggestionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UnitFactory,
    UserFactory,
)
from tests.funds.factories import StandardFactory

pytestmark = pytest.mark.django_db


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
    for page in ("funds:report_xlsx", "funds:reach_xlsx"):
        key = page.replace(":", "_")  # the feed's token below is made of the last key
        responses[key] = client.get(reverse(page), {"year": 2026})
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
