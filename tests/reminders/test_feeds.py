"""The calendar feed (日历订阅): what it holds, whom it shows, and its secret address."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from borax.calendars.lunardate import LunarDate
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from accounts.models import User
from branches.models import BranchRole
from cadres.models import CadreStatus, PoliticalStatus
from reminders.feed_selectors import feed_events
from reminders.feed_services import calendar_feed_reset
from reminders.models import CalendarFeed
from tests.factories import (
    ActivityFactory,
    BranchRoleFactory,
    CadreFactory,
    CalendarFeedFactory,
    PartyBranchFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = D(2026, 9, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def other_office(county):
    return UnitFactory(name="县财政局", code="FIN", parent=county)


@pytest.fixture
def registry(office, other_office):
    """Cadres of the office with birthdays in the next 60 days, and one of another unit."""
    return {
        "solar": CadreFactory(
            name="张三",
            unit=office,
            birth_date=D(1950, 9, 10),
            political_status=PoliticalStatus.MASSES,
        ),
        "decade": CadreFactory(
            name="李四",
            unit=office,
            birth_date=D(1946, 9, 20),
            political_status=PoliticalStatus.MASSES,
        ),
        # Lunar 8/20 of 1953: 1953-09-27; in 2026 lunar 8/20 is 30 September.
        "lunar": CadreFactory(
            name="王五",
            unit=office,
            birth_date=LunarDate(1953, 8, 20).to_solar_date(),
            celebrates_lunar_birthday=True,
            political_status=PoliticalStatus.MASSES,
        ),
        "party": CadreFactory(
            name="赵六",
            unit=office,
            birth_date=D(1950, 3, 15),
            party_joined_on=D(1976, 10, 8),
        ),
        "deceased": CadreFactory(
            name="钱七",
            unit=office,
            birth_date=D(1940, 9, 5),
            status=CadreStatus.DECEASED,
            died_on=D(2026, 5, 1),
            political_status=PoliticalStatus.MASSES,
        ),
        "theirs": CadreFactory(
            name="孙八",
            unit=other_office,
            birth_date=D(1946, 9, 12),
            political_status=PoliticalStatus.MASSES,
        ),
    }


@pytest.fixture
def activities(office, other_office):
    return {
        "mine": ActivityFactory(
            title="重阳登高",
            unit=office,
            place="老干部活动中心",
            starts_at=datetime.datetime(2026, 9, 12, 9, 30, tzinfo=SHANGHAI),
            ends_at=datetime.datetime(2026, 9, 12, 11, 30, tzinfo=SHANGHAI),
        ),
        "theirs": ActivityFactory(
            title="财政局书画展",
            unit=other_office,
            starts_at=datetime.datetime(2026, 9, 15, 14, 0, tzinfo=SHANGHAI),
        ),
        "later": ActivityFactory(
            title="年终座谈会",
            unit=office,
            starts_at=datetime.datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI),
        ),
    }


def fetch(client, feed, **extra):
    return client.get(reverse("reminders:feed", kwargs={"token": feed.token}), **extra)


def parse(response) -> dict:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def birthday_uid(cadre, day):
    return f"birthday-{cadre.pk}-{day:%Y%m%d}@yinling"


def test_feed_needs_no_login_and_is_an_icalendar_document(client, liaison, registry):
    feed = CalendarFeedFactory(user=liaison)
    response = fetch(client, feed)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "银龄 · 联络员甲"
    for event in calendar.walk("VEVENT"):
        assert event["DTSTAMP"].dt == datetime.datetime(2026, 9, 1, 1, 0, tzinfo=datetime.UTC)


def test_feed_holds_birthdays_holidays_and_activities_of_the_users_scope(
    client, liaison, registry, activities
):
    feed = CalendarFeedFactory(user=liaison)
    client.cookies["django_language"] = "en"
    response = fetch(client, feed)
    events = parse(response)

    solar = events[birthday_uid(registry["solar"], D(2026, 9, 10))]
    assert str(solar["SUMMARY"]) == "张三: 76 birthday"
    assert solar["DTSTART"].dt == D(2026, 9, 10)  # all day
    assert solar["DTEND"].dt == D(2026, 9, 11)
    assert str(solar["TRANSP"]) == "TRANSPARENT"
    assert str(solar["URL"]).endswith(reverse("cadres:detail", args=[registry["solar"].pk]))

    decade = events[birthday_uid(registry["decade"], D(2026, 9, 20))]
    assert str(decade["SUMMARY"]) == "★ 李四: 80 birthday — decade birthday"

    lunar_day = LunarDate(2026, 8, 20).to_solar_date()
    assert lunar_day == D(2026, 9, 30)
    lunar = events[birthday_uid(registry["lunar"], lunar_day)]
    assert lunar["DTSTART"].dt == lunar_day
    assert str(lunar["SUMMARY"]) == "王五: 73 birthday (lunar 八月二十)"
    # Not on the solar anniversary of the birth date.
    assert birthday_uid(registry["lunar"], D(2026, 9, 27)) not in events

    party = events[f"political-birthday-{registry['party'].pk}-20261008@yinling"]
    assert str(party["SUMMARY"]) == "★ 赵六: 50 years in the Party — honoured milestone"

    mid_autumn = [e for uid, e in events.items() if uid.startswith("holiday-")]
    by_name = {str(e["SUMMARY"]): e["DTSTART"].dt for e in mid_autumn}
    assert by_name == {
        "中秋节": D(2026, 9, 25),
        "国庆节": D(2026, 10, 1),
        "重阳节": D(2026, 10, 18),
    }

    activity = events[f"activity-{activities['mine'].pk}@yinling"]
    assert str(activity["SUMMARY"]) == "重阳登高"
    assert str(activity["LOCATION"]) == "老干部活动中心"
    assert str(activity["URL"]) == "http://testserver" + activities["mine"].get_absolute_url()
    start = activity["DTSTART"].dt
    assert (start.tzinfo.key, start.hour, start.minute) == ("Asia/Shanghai", 9, 30)
    assert activity["DTSTART"].params["TZID"] == "Asia/Shanghai"
    timezones = Calendar.from_ical(response.content).walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in timezones] == ["Asia/Shanghai"]
    assert activity["DTEND"].dt == datetime.datetime(2026, 9, 12, 11, 30, tzinfo=SHANGHAI)

    body = response.content.decode()
    for cadre in registry.values():
        assert cadre.id_number not in body
    assert "钱七" not in body  # deceased: no birthday
    assert "年终座谈会" not in body  # beyond the 60 days


def test_another_units_cadres_and_activities_never_appear_for_unit_staff(
    client, liaison, registry, activities
):
    body = fetch(client, CalendarFeedFactory(user=liaison)).content.decode()
    assert "张三" in body and "重阳登高" in body
    assert "孙八" not in body
    assert "财政局书画展" not in body


def test_bureau_staff_see_every_unit(client, county, registry, activities):
    staff = UserFactory(unit=county, role=User.Role.BUREAU_STAFF)
    body = fetch(client, CalendarFeedFactory(user=staff)).content.decode()
    assert "孙八" in body and "张三" in body and "财政局书画展" in body


def test_branch_secretary_sees_the_members_of_their_branch_only(office, registry):
    secretary = UserFactory(unit=office, role=User.Role.BRANCH_SECRETARY)
    branch = PartyBranchFactory(unit=office)
    BranchRoleFactory(
        branch=branch,
        role=BranchRole.Role.SECRETARY,
        cadre=CadreFactory(unit=office, account=secretary, birth_date=D(1950, 1, 1)),
    )
    BranchRoleFactory(branch=branch, cadre=registry["decade"])
    summaries = [event.summary for event in feed_events(user=secretary, today=TODAY)]
    assert any("李四" in summary for summary in summaries)
    assert not any("张三" in summary for summary in summaries)  # same unit, not a member


def test_days_limit_the_window(liaison, registry):
    uids = {event.uid for event in feed_events(user=liaison, today=TODAY, days=10)}
    assert birthday_uid(registry["solar"], D(2026, 9, 10)) in uids
    assert birthday_uid(registry["decade"], D(2026, 9, 20)) not in uids


def test_fetching_records_the_time(client, liaison):
    feed = CalendarFeedFactory(user=liaison)
    fetch(client, feed)
    feed.refresh_from_db()
    assert feed.last_fetched_at == datetime.datetime(2026, 9, 1, 1, 0, tzinfo=datetime.UTC)


def test_unknown_token_and_inactive_user_are_not_found(client, liaison):
    missing = client.get(reverse("reminders:feed", kwargs={"token": "no-such-token"}))
    assert missing.status_code == 404
    feed = CalendarFeedFactory(user=liaison)
    User.objects.filter(pk=liaison.pk).update(is_active=False)
    assert fetch(client, feed).status_code == 404


def test_reset_makes_the_old_address_stop_working_at_once(client, liaison):
    feed = calendar_feed_reset(user=liaison)
    old = CalendarFeed(token=feed.token)
    assert fetch(client, old).status_code == 200
    new = calendar_feed_reset(user=liaison)
    assert new.pk == feed.pk and new.token != old.token and new.reset_at is not None
    assert fetch(client, old).status_code == 404
    assert fetch(client, new).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_my_reminders_offers_to_create_then_shows_the_link(client, liaison):
    client.force_login(liaison)
    page = client.get(reverse("reminders:mine")).content.decode()
    assert 'id="calendar-feed"' in page and "feed-url" not in page
    response = client.post(reverse("reminders:feed_reset"), follow=True)
    feed = CalendarFeed.objects.get(user=liaison)
    url = "http://testserver" + reverse("reminders:feed", kwargs={"token": feed.token})
    assert url.endswith(".ics")
    body = response.content.decode()
    assert url in body
    assert "webcal://testserver" in body
    assert len(list(response.context["messages"])) == 1


def test_reset_page_confirms_then_replaces_the_token(client, liaison):
    feed = CalendarFeedFactory(user=liaison)
    client.force_login(liaison)
    confirm = client.get(reverse("reminders:feed_reset"))
    assert confirm.status_code == 200
    assert CalendarFeed.objects.get(pk=feed.pk).token == feed.token  # GET changes nothing
    response = client.post(reverse("reminders:feed_reset"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("reminders:mine"))
    [message] = list(response.context["messages"])
    assert message.level_tag == "success"
    new_token = CalendarFeed.objects.get(pk=feed.pk).token
    assert new_token != feed.token
    assert fetch(client, feed).status_code == 404
    assert new_token in response.content.decode()


def test_reset_page_needs_login(client):
    response = client.get(reverse("reminders:feed_reset"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.post(reverse("reminders:feed_reset")).status_code == 302
    assert CalendarFeed.objects.count() == 0


def test_query_count_does_not_grow_with_cadres(client, liaison, office):
    feed = CalendarFeedFactory(user=liaison)

    def add(count, start):
        for n in range(count):
            CadreFactory(
                unit=office,
                birth_date=D(1946, 9, 1) + datetime.timedelta(days=start + n),
                celebrates_lunar_birthday=n % 2 == 0,
                political_status=PoliticalStatus.MASSES,
            )
            ActivityFactory(
                unit=office,
                starts_at=datetime.datetime(2026, 9, 2 + n, 9, tzinfo=SHANGHAI),
            )

    add(2, 0)
    fetch(client, feed)  # warm caches
    with CaptureQueriesContext(connection) as few:
        few_events = parse(fetch(client, feed))
    add(15, 10)
    with CaptureQueriesContext(connection) as many:
        many_events = parse(fetch(client, feed))
    assert len(many_events) == len(few_events) + 30  # 15 birthdays and 15 activities more
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]
