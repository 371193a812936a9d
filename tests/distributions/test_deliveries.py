"""Ticking deliveries: one by one, a whole branch, a meeting's attendees; only those in
the audience whom the user may see; ticking twice makes one delivery; undo."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from activities.models import Attendance
from distributions.models import Delivery
from distributions.services import (
    deliveries_record,
    deliveries_record_for_activity,
    deliveries_record_for_branch,
    deliveries_record_for_meeting,
    distribution_create,
)
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchMeetingFactory,
    BranchRoleFactory,
    CadreFactory,
    DeliveryFactory,
    DistributionFactory,
    PartyBranchFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 4, 8)


def delivered(distribution):
    return set(distribution.deliveries.values_list("cadre__name", flat=True))


def test_a_whole_branch_only_its_members_in_the_audience_and_in_scope(
    bureau, office, finance, office_staff
):
    briefing = DistributionFactory(unit=bureau, audience="party")
    branch = PartyBranchFactory(unit=office)
    for cadre in (
        CadreFactory(name="党员甲", unit=office),
        CadreFactory(name="群众乙", unit=office, political_status="masses"),
        # A joint branch may hold another unit's retiree: out of the office's scope.
        CadreFactory(name="财政丙", unit=finance),
    ):
        BranchRoleFactory(branch=branch, cadre=cadre)
    CadreFactory(name="不在支部", unit=office)

    count = deliveries_record_for_branch(
        by=office_staff, distribution=briefing, branch=branch, way="post", delivered_on=DAY
    )
    assert count == 1
    assert delivered(briefing) == {"党员甲"}
    delivery = briefing.deliveries.get()
    assert (delivery.way, delivery.delivered_on, delivery.delivered_by) == (
        "post",
        DAY,
        office_staff,
    )
    # Ticking the branch again adds nothing.
    again = deliveries_record_for_branch(
        by=office_staff, distribution=briefing, branch=branch, way="post", delivered_on=DAY
    )
    assert again == 0
    assert briefing.deliveries.count() == 1


def test_a_meetings_attendees_on_its_day(office, office_staff):
    briefing = DistributionFactory(unit=office, audience="party")
    branch = PartyBranchFactory(unit=office)
    meeting = BranchMeetingFactory(branch=branch, held_on=datetime.date(2026, 4, 1))
    came = CadreFactory(name="到会", unit=office)
    masses = CadreFactory(name="群众到会", unit=office, political_status="masses")
    CadreFactory(name="缺席", unit=office)
    meeting.attendees.set([came, masses])

    assert (
        deliveries_record_for_meeting(by=office_staff, distribution=briefing, meeting=meeting) == 1
    )
    assert (
        deliveries_record_for_meeting(by=office_staff, distribution=briefing, meeting=meeting) == 0
    )
    delivery = briefing.deliveries.get()
    assert delivery.cadre == came
    assert delivery.way == Delivery.Way.MEETING
    assert delivery.delivered_on == meeting.held_on
    assert delivery.branch_meeting == meeting


def test_an_activitys_attendees_who_came(office, office_staff):
    material = DistributionFactory(unit=office, kind="study")
    activity = ActivityFactory(
        unit=office, starts_at=datetime.datetime(2026, 4, 2, 1, 0, tzinfo=datetime.UTC)
    )
    AttendanceFactory(
        activity=activity,
        cadre=CadreFactory(name="来了", unit=office),
        status=Attendance.Status.ATTENDED,
    )
    AttendanceFactory(
        activity=activity,
        cadre=CadreFactory(name="没来", unit=office),
        status=Attendance.Status.ABSENT,
    )
    assert (
        deliveries_record_for_activity(by=office_staff, distribution=material, activity=activity)
        == 1
    )
    delivery = material.deliveries.get()
    assert (delivery.cadre.name, delivery.activity, delivery.delivered_on) == (
        "来了",
        activity,
        datetime.date(2026, 4, 2),
    )


def test_one_by_one_refuses_a_future_day_or_one_before_issue(office, office_staff):
    briefing = DistributionFactory(unit=office, issued_on=datetime.date(2026, 3, 1))
    cadre = CadreFactory(unit=office)
    for day in (datetime.date(2026, 5, 21), datetime.date(2026, 2, 28)):
        with pytest.raises(ValidationError):
            deliveries_record(
                by=office_staff,
                distribution=briefing,
                cadre_ids=[cadre.pk],
                way="home",
                delivered_on=day,
            )
    assert not Delivery.objects.exists()


def test_another_units_distribution_is_refused(finance, office_staff):
    theirs = DistributionFactory(unit=finance)
    with pytest.raises(PermissionDenied):
        deliveries_record(
            by=office_staff,
            distribution=theirs,
            cadre_ids=[CadreFactory(unit=finance).pk],
            way="post",
            delivered_on=DAY,
        )


def test_ticking_in_the_page_and_undoing(client, office, office_staff):
    briefing = DistributionFactory(unit=office)
    homebound = CadreFactory(name="卧床", unit=office, health="bedridden")
    other = CadreFactory(name="健康", unit=office)
    client.force_login(office_staff)
    url = reverse("distributions:deliver", args=[briefing.pk])
    page = client.get(url)
    assert page.status_code == 200
    rows = [cadre.name for cadre in page.context["page"]]
    assert rows == ["卧床", "健康"]  # the homebound first
    response = client.post(
        url,
        {"action": "cadres", "cadres": [homebound.pk], "way": "home", "delivered_on": "2026-05-19"},
        follow=True,
    )
    assert response.status_code == 200
    delivery = Delivery.objects.get()
    assert (delivery.cadre, delivery.way) == (homebound, "home")
    assert [c.name for c in response.context["page"]] == ["健康"]
    assert "1" in str(next(iter(response.context["messages"])))

    undo = reverse("distributions:delivery_undo", args=[delivery.pk])
    assert client.get(undo).status_code == 200
    assert Delivery.objects.exists()  # nothing undone before the confirmation
    client.post(undo)
    assert not Delivery.objects.exists()
    assert Delivery.history.filter(history_type="-").count() == 1
    assert other.distribution_deliveries.count() == 0


def test_branch_secretaries_read_but_do_not_tick(client, office):
    secretary = UserFactory(role=User.Role.BRANCH_SECRETARY, unit=office)
    briefing = DistributionFactory(unit=office)
    delivery = DeliveryFactory(distribution=briefing, cadre=CadreFactory(unit=office))
    client.force_login(secretary)
    assert client.get(reverse("distributions:deliver", args=[briefing.pk])).status_code == 403
    assert (
        client.post(reverse("distributions:delivery_undo", args=[delivery.pk])).status_code == 403
    )
    assert Delivery.objects.count() == 1


def test_other_units_records_are_not_found(client, office, finance, office_staff):
    theirs = DistributionFactory(unit=finance)
    their_delivery = DeliveryFactory(distribution=theirs, cadre=CadreFactory(unit=finance))
    client.force_login(office_staff)
    for name, pk in (
        ("distributions:detail", theirs.pk),
        ("distributions:edit", theirs.pk),
        ("distributions:deliver", theirs.pk),
        ("distributions:delivery_undo", their_delivery.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name


def test_the_bureaus_distribution_reaches_unit_staff_for_their_own_cadres(
    client, bureau, office, finance, office_staff
):
    bulletin = DistributionFactory(unit=bureau, kind="bulletin", issue_number=42)
    mine = CadreFactory(name="本单位", unit=office)
    theirs = CadreFactory(name="外单位", unit=finance)
    client.force_login(office_staff)
    assert client.get(reverse("distributions:detail", args=[bulletin.pk])).status_code == 200
    # Not theirs to edit: it is the bureau's.
    assert client.get(reverse("distributions:edit", args=[bulletin.pk])).status_code == 404
    count = deliveries_record(
        by=office_staff,
        distribution=bulletin,
        cadre_ids=[mine.pk, theirs.pk],
        way="post",
        delivered_on=DAY,
    )
    assert count == 1
    assert delivered(bulletin) == {"本单位"}


def test_a_subscription_is_spent_from_the_budget_line(bureau, bureau_staff, office):
    from funds.models import BudgetLine, Expense

    BudgetLine.objects.create(unit=office, year=2026, code="subscription", amount=Decimal("500.00"))
    fields = {
        "kind": "subscription",
        "title": "人民日报",
        "issued_on": datetime.date(2026, 1, 3),
        "year": 2026,
        "unit": office,
        "audience": "everyone",
        "cost": Decimal("120.50"),
        "copies": 4,
    }
    paper = distribution_create(by=bureau_staff, **fields)
    expense = Expense.objects.get()
    assert paper.expense == expense
    assert (expense.amount, expense.line_code, expense.source, expense.unit) == (
        Decimal("482.00"),
        "subscription",
        "subscription",
        office,
    )
    # 18 yuan remain: another copy is refused, and nothing is written.
    with pytest.raises(ValidationError):
        distribution_create(by=bureau_staff, **{**fields, "title": "求是", "copies": 1})
    assert Expense.objects.count() == 1
    assert paper.__class__.objects.count() == 1
