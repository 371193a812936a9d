"""目标考核: the annual unit scorecard against figures worked out by hand on a world of
two units, its weights, ranking, links, scope and .xlsx."""

import datetime
import io
import zoneinfo

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from cadres.models import Health, VisitOccasion
from reports.models import ScorecardMeasure, ScorecardWeight
from reports.scorecard import unit_scorecard
from reports.scorecard_services import scorecard_weights_update
from tests.factories import (
    BranchMeetingFactory,
    CadreFactory,
    CareNeedFactory,
    PartyBranchFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
M = ScorecardMeasure
D = datetime.date


@pytest.fixture(autouse=True)
def today():
    """Assessed on 1 March 2027, for 2026 (春节 2026 fell on 17 February)."""
    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, tzinfo=ZONE), tick=False):
        yield D(2027, 3, 1)


@pytest.fixture
def world(unit_a, unit_b):
    routine = VisitOccasion.objects.get(code="routine")
    spring = VisitOccasion.objects.get(code="spring_festival")
    with time_machine.travel(datetime.datetime(2025, 6, 1, 10, tzinfo=ZONE), tick=False):
        a = {n: CadreFactory(unit=unit_a, name=f"甲{n}") for n in (1, 2, 3)}
        a[4] = CadreFactory(
            unit=unit_a, name="甲4", health=Health.IN_HOSPITAL, health_changed_on=D(2026, 5, 1)
        )
        b = {n: CadreFactory(unit=unit_b, name=f"乙{n}") for n in (1, 2)}
        # 乙2 was in hospital from 1 to 10 July 2026 (kept in the record's history only).
        b[2].health, b[2].health_changed_on = Health.IN_HOSPITAL, D(2026, 7, 1)
        b[2].save()
        b[2].health, b[2].health_changed_on = Health.GOOD, D(2026, 7, 10)
        b[2].save()
    visits = [
        (a[1], spring, D(2026, 2, 10)),  # before the day
        (a[1], routine, D(2026, 11, 1)),
        (a[2], spring, D(2026, 2, 18)),  # the day after: not before it
        (a[3], routine, D(2025, 12, 20)),  # last year only
        (a[4], routine, D(2026, 5, 3)),  # two days after admission
        (b[1], spring, D(2026, 1, 30)),
        (b[1], routine, D(2026, 10, 1)),
        (b[2], spring, D(2026, 2, 1)),
        (b[2], routine, D(2026, 9, 1)),
    ]
    for cadre, occasion, day in visits:
        VisitFactory(cadre=cadre, occasion=occasion, visited_on=day)
    CareNeedFactory(
        raised_on=D(2026, 1, 5),
        cadre=a[1],
        due_on=D(2026, 3, 1),
        status="resolved",
        resolved_on=D(2026, 2, 20),
        resolution="已答复",
    )
    CareNeedFactory(
        raised_on=D(2026, 1, 5),
        cadre=a[2],
        due_on=D(2026, 4, 1),
        status="resolved",
        resolved_on=D(2026, 4, 5),
        resolution="已答复",
    )
    CareNeedFactory(raised_on=D(2026, 1, 5), cadre=a[3], due_on=D(2026, 6, 1))
    CareNeedFactory(
        raised_on=D(2026, 1, 5),
        cadre=b[1],
        due_on=D(2026, 5, 1),
        status="resolved",
        resolved_on=D(2026, 4, 30),
        resolution="已答复",
    )
    CareNeedFactory(
        raised_on=D(2026, 1, 5), cadre=b[1], due_on=D(2027, 2, 1)
    )  # due in another year
    branch = PartyBranchFactory(unit=unit_a)
    for month in range(1, 7):
        BranchMeetingFactory(branch=branch, held_on=D(2026, month, 5))
    BranchMeetingFactory(branch=branch, held_on=D(2025, 12, 5))  # another year
    return {"a": a, "b": b, "unit_a": unit_a, "unit_b": unit_b}


def figures(row):
    return {code: None if f is None else (f.figure, f.total) for code, f in row.figures.items()}


def test_figures_scores_and_ranking_by_hand(world, superuser):
    card = unit_scorecard(user=superuser, year=2026)
    assert card.day == D(2026, 12, 31)
    first, second = card.rows
    assert (first.name, first.rank, second.name, second.rank) == ("县财政局", 1, "县教育局", 2)
    assert figures(second) == {
        M.VISIT_COVERAGE: (3, 4),  # 甲3 not visited in 2026
        M.SPRING_FESTIVAL: (1, 4),  # only 甲1 before 17 February
        M.OVERDUE_VISITS: (3, 4),  # 甲2, 甲3, 甲4: no visit within 180 days on 31 December
        M.HOSPITAL_STAYS: (1, 1),  # 甲4 admitted 1 May, visited 3 May
        M.NEEDS_ON_TIME: (1, 3),  # one on time, one late, one open
        M.CHECKUPS: None,
        M.DISTRIBUTIONS: None,
        M.BRANCH_MEETINGS: (6, 12),
    }
    assert figures(first) == {
        M.VISIT_COVERAGE: (2, 2),
        M.SPRING_FESTIVAL: (2, 2),
        M.OVERDUE_VISITS: (0, 2),
        M.HOSPITAL_STAYS: (0, 1),  # 乙2's stay in July, from the history: not visited
        M.NEEDS_ON_TIME: (1, 1),
        M.CHECKUPS: None,
        M.DISTRIBUTIONS: None,
        M.BRANCH_MEETINGS: (0, 0),  # no branch: left out
    }
    # Weights 20 15 10 10 15 · 10 (meetings): checkups and distributions not available.
    # 甲: (0.75·20 + 0.25·15 + 0.25·10 + 1·10 + ⅓·15 + 0.5·10) / 80 = 41.25 / 80
    assert second.score == 51.6
    # 乙: (20 + 15 + 10 + 0 + 15) / 70
    assert first.score == 85.7
    assert figures(card.total)[M.VISIT_COVERAGE] == (5, 6)
    assert figures(card.total)[M.OVERDUE_VISITS] == (3, 6)
    assert [m.code for m in card.measures if not m.available] == [M.CHECKUPS, M.DISTRIBUTIONS]


def test_weights_set_by_administrators_change_the_ranking(world, superuser):
    weights = dict.fromkeys(M.values, 0)
    scorecard_weights_update(weights={**weights, M.HOSPITAL_STAYS: 40}, by=superuser)
    card = unit_scorecard(user=superuser, year=2026)
    assert [(row.name, row.rank, row.score) for row in card.rows] == [
        ("县教育局", 1, 100.0),
        ("县财政局", 2, 0.0),
    ]
    scorecard_weights_update(weights={**weights, M.SPRING_FESTIVAL: 5}, by=superuser)
    card = unit_scorecard(user=superuser, year=2026)
    assert [(row.name, row.score) for row in card.rows] == [("县财政局", 100.0), ("县教育局", 25.0)]
    assert (
        ScorecardWeight.objects.get(measure=M.SPRING_FESTIVAL).history.first().history_user
        == superuser
    )


def test_equal_scores_share_a_rank_and_nothing_to_score_has_none(world, superuser):
    weights = dict.fromkeys(M.values, 0)
    # 甲: (0.75·40 + 1·10) / 50 = 80; 乙: (1·40 + 0·10) / 50 = 80.
    scorecard_weights_update(
        weights={**weights, M.VISIT_COVERAGE: 40, M.HOSPITAL_STAYS: 10}, by=superuser
    )
    card = unit_scorecard(user=superuser, year=2026)
    assert [(row.rank, row.score) for row in card.rows] == [(1, 80.0), (1, 80.0)]
    scorecard_weights_update(weights={**weights, M.CHECKUPS: 10}, by=superuser)
    card = unit_scorecard(user=superuser, year=2026)
    assert [(row.rank, row.score) for row in card.rows] == [(None, None), (None, None)]


def test_weights_page_is_for_administrators(client, world, superuser, bureau):
    url = reverse("reports:scorecard_weights")
    client.force_login(UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF))
    assert client.get(url).status_code == 403
    client.force_login(superuser)
    page = client.get(url)
    assert page.status_code == 200 and 'value="20"' in page.content.decode()
    data = dict.fromkeys(M.values, 0)
    assert client.post(url, data).status_code == 200  # at least one must count
    response = client.post(url, {**data, M.VISIT_COVERAGE: 50})
    assert response.status_code == 302
    assert ScorecardWeight.objects.get(measure=M.VISIT_COVERAGE).weight == 50
    assert ScorecardWeight.objects.get(measure=M.NEEDS_ON_TIME).weight == 0


def test_defaults_are_seeded():
    assert dict(ScorecardWeight.objects.values_list("measure", "weight")) == {
        "visit_coverage": 20,
        "spring_festival": 15,
        "overdue_visits": 10,
        "hospital_stays": 10,
        "needs_on_time": 15,
        "checkups": 10,
        "distributions": 10,
        "branch_meetings": 10,
    }


def test_page_ranks_units_and_links_each_figure_to_its_list(client, world, superuser):
    client.force_login(superuser)
    page = client.get(reverse("reports:scorecard"), {"year": 2026}).content.decode()
    assert page.index("县财政局") < page.index("县教育局")
    unit_a = world["unit_a"].pk
    listing = reverse("reports:scorecard_list")
    assert f"{listing}?year=2026&amp;measure=visit_coverage&amp;unit={unit_a}" in page
    assert f"{listing}?year=2026&amp;measure=overdue_visits&amp;unit={unit_a}" in page
    assert f"{reverse('branches:list')}?unit={unit_a}" in page
    assert "?occurrence=2026-02-17" in page  # the 春节 campaign of that year
    assert "51.6" in page and "85.7" in page


def test_drill_down_lists_the_records_behind_a_figure(client, world, superuser):
    client.force_login(superuser)
    url = reverse("reports:scorecard_list")
    query = {"year": 2026, "measure": M.OVERDUE_VISITS, "unit": world["unit_a"].pk}
    page = client.get(url, {**query, "counted": "0"}).content.decode()
    assert all(name in page for name in ("甲2", "甲3", "甲4")) and "甲1" not in page
    assert "乙1" not in page
    needs = client.get(url, {**query, "measure": M.NEEDS_ON_TIME}).content.decode()
    assert "2026-04-05" in needs and "2026-02-20" in needs
    stays = client.get(url, {"year": 2026, "measure": M.HOSPITAL_STAYS}).content.decode()
    assert "甲4" in stays and "乙2" in stays and "2026-07-01" in stays
    assert client.get(url, {**query, "measure": "nothing"}).status_code == 404


def test_unit_staff_see_their_units_only(client, world, unit_a):
    staff = UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF)
    card = unit_scorecard(user=staff, year=2026)
    assert [(row.name, row.rank) for row in card.rows] == [("县教育局", 1)]
    client.force_login(staff)
    page = client.get(reverse("reports:scorecard"), {"year": 2026}).content.decode()
    assert "县教育局" in page and "县财政局" not in page
    url = reverse("reports:scorecard_list")
    other = {"year": 2026, "measure": M.VISIT_COVERAGE, "unit": world["unit_b"].pk}
    assert client.get(url, other).status_code == 404
    everything = client.get(url, {"year": 2026, "measure": M.VISIT_COVERAGE}).content.decode()
    assert "甲1" in everything and "乙1" not in everything


def test_branch_secretaries_are_refused(client, world, unit_a):
    client.force_login(UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY))
    assert client.get(reverse("reports:scorecard")).status_code == 403
    assert client.get(reverse("reports:scorecard_list")).status_code == 403


def test_xlsx_has_the_ranking_as_numbers(client, world, superuser):
    client.force_login(superuser)
    response = client.get(reverse("reports:scorecard"), {"year": 2026, "format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert rows[0][:5] == [1, "县财政局", 2, 2, 1.0]
    assert rows[1][:5] == [2, "县教育局", 3, 4, 0.75]
    assert rows[1][-1] == 51.6 and rows[0][-1] == 85.7
    assert isinstance(rows[1][-1], float)


def test_queries_do_not_grow_with_cadres(world, superuser, unit_a):
    with CaptureQueriesContext(connection) as first:
        unit_scorecard(user=superuser, year=2026)
    for n in range(5):
        cadre = CadreFactory(unit=unit_a)
        VisitFactory(cadre=cadre, visited_on=D(2026, 3, n + 1))
    with CaptureQueriesContext(connection) as second:
        unit_scorecard(user=superuser, year=2026)
    assert len(second) == len(first)


def test_spring_festival_not_yet_come_is_not_available(world, superuser):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 10, tzinfo=ZONE), tick=False):
        card = unit_scorecard(user=superuser, year=2026)
    assert card.total.figures[M.SPRING_FESTIVAL] is None


def test_checkups_and_distributions_of_the_year(world, superuser, bureau):
    from tests.factories import (
        CheckupCampaignFactory,
        CheckupFactory,
        DeliveryFactory,
        DistributionFactory,
    )

    a, b = world["a"], world["b"]
    campaign = CheckupCampaignFactory(year=2026)
    for cadre in (a[1], a[2], b[1]):
        CheckupFactory(campaign=campaign, cadre=cadre)
    CheckupCampaignFactory(year=2025)  # another year's
    briefing = DistributionFactory(unit=bureau, year=2026)
    for cadre in (a[1], b[1], b[2]):
        DeliveryFactory(distribution=briefing, cadre=cadre)
    card = unit_scorecard(user=superuser, year=2026)
    by_name = {row.name: figures(row) for row in card.rows}
    assert by_name["县教育局"][M.CHECKUPS] == (2, 4)
    assert by_name["县财政局"][M.CHECKUPS] == (1, 2)
    assert by_name["县教育局"][M.DISTRIBUTIONS] == (1, 4)
    assert by_name["县财政局"][M.DISTRIBUTIONS] == (2, 2)
    assert all(measure.available for measure in card.measures)


def test_missing_weight_rows_count_with_their_defaults(world, superuser):
    ScorecardWeight.objects.all().delete()
    card = unit_scorecard(user=superuser, year=2026)
    assert [row.score for row in card.rows] == [85.7, 51.6]
