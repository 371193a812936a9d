"""Progress figures per unit and per liaison, against hand-counted ones, and the
scope of the lists."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from checkups.selectors import campaign_progress, campaign_rows
from reports.models import ExportRecord
from tests.factories import CadreFactory, CheckupFactory, UserFactory

from .conftest import TODAY

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def registry(campaign, edu, fin, liaison):
    """教育局: 4 cadres with the liaison — 2 checked (one with a finding to follow up),
    one declined, one not yet seen. 财政局: 2 cadres without a liaison, 1 referred."""
    edu_cadres = [CadreFactory(name=f"教育{i}", unit=edu, liaison=liaison) for i in range(4)]
    fin_cadres = [CadreFactory(name=f"财政{i}", unit=fin) for i in range(2)]
    CheckupFactory(campaign=campaign, cadre=edu_cadres[0], result="normal")
    CheckupFactory(campaign=campaign, cadre=edu_cadres[1], result="follow_up")
    CheckupFactory(
        campaign=campaign,
        cadre=edu_cadres[2],
        checked_on=None,
        result="",
        hospital="",
        not_checked_reason="declined",
    )
    CheckupFactory(campaign=campaign, cadre=fin_cadres[0], result="referred")
    return edu_cadres, fin_cadres


def test_figures_in_all_per_unit_and_per_liaison(registry, campaign):
    progress = campaign_progress(campaign=campaign, today=TODAY)
    assert (progress["audience"], progress["checked"], progress["pending"]) == (6, 3, 3)
    assert progress["percent"] == 50
    assert (progress["follow_up"], progress["referred"]) == (1, 1)
    reasons = {row["reason"]: row["count"] for row in progress["by_reason"]}
    assert reasons["declined"] == 1 and reasons["away"] == 0
    assert progress["no_reason"] == 2
    by_unit = {row["name"]: row for row in progress["by_unit"]}
    assert (by_unit["县教育局"]["total"], by_unit["县教育局"]["checked"]) == (4, 2)
    assert by_unit["县教育局"]["pending"] == 2 and by_unit["县教育局"]["reasons"] == 1
    assert by_unit["县教育局"]["percent"] == 50
    assert (by_unit["县财政局"]["total"], by_unit["县财政局"]["checked"]) == (2, 1)
    by_liaison = {row["name"]: row for row in progress["by_liaison"]}
    assert (by_liaison["联络员甲"]["total"], by_liaison["联络员甲"]["checked"]) == (4, 2)
    assert (by_liaison["—"]["total"], by_liaison["—"]["checked"]) == (2, 1)


def test_the_scorecard_reads_one_units_figures(registry, campaign, fin):
    progress = campaign_progress(campaign=campaign, today=TODAY, unit_ids=[fin.pk])
    assert (progress["audience"], progress["checked"], progress["referred"]) == (2, 1, 1)


def test_unit_staff_count_and_list_only_their_units_cadres(registry, campaign, liaison, client):
    progress = campaign_progress(campaign=campaign, today=TODAY, user=liaison)
    assert (progress["audience"], progress["checked"]) == (4, 2)
    assert [row["name"] for row in progress["by_unit"]] == ["县教育局"]
    client.force_login(liaison)
    page = client.get(reverse("checkups:campaign", args=[campaign.pk]), {"status": ""})
    body = page.content.decode()
    assert "教育3" in body and "财政" not in body


def test_the_list_filters_by_status_unit_and_liaison(registry, campaign, bureau_staff, client):
    client.force_login(bureau_staff)
    url = reverse("checkups:campaign", args=[campaign.pk])
    pending = client.get(url).context["page"].object_list
    assert {row["name"] for row in pending} == {"教育2", "教育3", "财政1"}
    declined = client.get(url, {"status": "declined"}).context["page"].object_list
    assert [row["name"] for row in declined] == ["教育2"]
    no_reason = client.get(url, {"status": "no_reason"}).context["page"].object_list
    assert {row["name"] for row in no_reason} == {"教育3", "财政1"}
    follow_up = client.get(url, {"status": "follow_up"}).context["page"].object_list
    assert [row["name"] for row in follow_up] == ["教育1"]
    edu_id = registry[0][0].unit_id
    of_unit = client.get(url, {"status": "", "unit": edu_id}).context["page"].object_list
    assert len(of_unit) == 4
    liaison_id = registry[0][0].liaison_id
    of_liaison = client.get(url, {"status": "pending", "liaison": liaison_id})
    assert {row["name"] for row in of_liaison.context["page"].object_list} == {"教育2", "教育3"}


def test_the_page_is_paginated_and_reads_in_a_fixed_number_of_queries(
    campaign, edu, bureau_staff, client
):
    client.force_login(bureau_staff)
    url = reverse("checkups:campaign", args=[campaign.pk])
    for i in range(3):
        CadreFactory(unit=edu, liaison=UserFactory(unit=edu), name=f"甲{i}")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(60):
        CadreFactory(unit=edu, liaison=UserFactory(unit=edu), name=f"乙{i}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert response.context["page"].paginator.num_pages == 2
    assert len(client.get(url, {"page": 2}).context["page"].object_list) == 13


def test_the_pending_list_downloads_as_a_workbook(registry, campaign, liaison, client):
    import io

    from openpyxl import load_workbook

    client.force_login(liaison)
    response = client.get(reverse("checkups:export", args=[campaign.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["教育2", "教育3"]
    assert "no-store" in response["Cache-Control"]
    # The download is in the export log, with the list's filter.
    record = ExportRecord.objects.get()
    assert record.user == liaison and record.kind == ExportRecord.Kind.CHECKUP_LIST
    assert record.row_count == 2 and record.parameters["campaign"]["id"] == campaign.pk


def test_rows_of_a_secretary_are_their_branch_members(registry, campaign, edu):
    from branches.models import BranchRole
    from tests.factories import BranchRoleFactory, PartyBranchFactory

    secretary = UserFactory(unit=edu, role=User.Role.BRANCH_SECRETARY)
    branch = PartyBranchFactory(unit=edu)
    BranchRoleFactory(
        branch=branch,
        cadre=CadreFactory(unit=edu, account=secretary, name="书记"),
        role=BranchRole.Role.SECRETARY,
    )
    BranchRoleFactory(branch=branch, cadre=registry[0][3])
    rows = campaign_rows(campaign=campaign, today=TODAY, user=secretary)
    assert {row["name"] for row in rows} == {"书记", "教育3"}
