"""The visit-work pages' query counts do not grow with rows, visitors or follow-ups."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.visit_services import visit_update
from tests.cadres import planned_visits
from tests.cadres.planned_visits import TODAY, D, planned
from tests.factories import CadreFactory, CareNeedFactory, UserFactory, VisitFactory

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
frozen = planned_visits.frozen
staff = planned_visits.staff


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def _planned_world(unit, n, staff):
    for index in range(n):
        cadre = CadreFactory(unit=unit, liaison=staff)
        visit = planned(cadre, due_on=TODAY - datetime.timedelta(days=index))
        visit.visitors.set([staff])
        done = VisitFactory(
            cadre=cadre, visited_on=D(2026, 11, 1), follow_up_needed=True, follow_up_by=TODAY
        )
        planned(cadre, follow_up_of=done)


def test_the_pages_query_counts_do_not_grow_with_rows(client, staff, unit_a):
    client.force_login(staff)
    _planned_world(unit_a, 2, staff)
    urls = [
        (reverse("cadres:visit_todo"), None),
        (reverse("cadres:visit_todo"), {"when": "all", "kind": "follow_up", "mine": "on"}),
        (reverse("cadres:visits"), {"follow_up": "pending"}),
        (reverse("cadres:visits"), {"follow_up": "overdue"}),
        (reverse("reports:dashboard"), None),
    ]
    # Once first: a page may do its day's one-off work (the dashboard keeps a snapshot).
    [_queries(client, url, params) for url, params in urls]
    few = [_queries(client, url, params) for url, params in urls]
    _planned_world(unit_a, 12, staff)
    many = [_queries(client, url, params) for url, params in urls]
    assert few == many


def test_a_visits_pages_query_counts_do_not_grow_with_its_visitors_and_follow_ups(
    client, staff, unit_a
):
    client.force_login(staff)
    cadre = CadreFactory(unit=unit_a)
    visit = VisitFactory(
        cadre=cadre, visited_on=D(2026, 11, 1), follow_up_needed=True, follow_up_by=TODAY
    )
    planned(cadre, follow_up_of=visit)  # one of each kind of row, then many
    visit.visitors.add(staff)
    need_visit = planned(cadre, care_need=CareNeedFactory(cadre=cadre), code="return_visit")
    need_visit.visitors.add(staff)
    pages = [
        reverse(name, args=[pk])
        for pk in (visit.pk, need_visit.pk)
        for name in ("cadres:visit_detail", "cadres:visit_history", "cadres:visit_edit")
    ] + [reverse("cadres:visit_complete", args=[need_visit.pk])]
    few = [_queries(client, url) for url in pages]
    for index in range(6):
        visit.visitors.add(UserFactory(unit=unit_a))
        need_visit.visitors.add(UserFactory(unit=unit_a))
        planned(cadre, follow_up_of=visit, due_on=TODAY + datetime.timedelta(days=index))
        visit_update(visit=visit, by=staff, notes=f"第{index}次修改")
        visit_update(visit=need_visit, by=staff, notes=f"第{index}次修改")
    many = [_queries(client, url) for url in pages]
    assert few == many
