import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from activities.models import Honour, Suggestion
from branches.models import BranchRole
from tests.factories import (
    ActivityFactory,
    BranchRoleFactory,
    CadreFactory,
    HonourFactory,
    PartyBranchFactory,
    SuggestionFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HONOURS = reverse("activities:honours")
HONOUR_NEW = reverse("activities:honour_new")
SUGGESTIONS = reverse("activities:suggestions")
SUGGESTION_NEW = reverse("activities:suggestion_new")


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


def titles(response):
    return [item.title for item in response.context["page"]]


# Honours ---------------------------------------------------------------------------------


def test_honours_list_by_year_and_recipient_kind(client, staff, unit_a, unit_b):
    HonourFactory(title="优秀党员", year=2025, cadre=CadreFactory(unit=unit_a))
    HonourFactory(title="先进支部", year=2024, cadre=None, branch=PartyBranchFactory(unit=unit_a))
    HonourFactory(title="优秀团队", year=2025, cadre=None, team=TeamFactory(unit=unit_a))
    HonourFactory(title="财政局荣誉", year=2025, cadre=CadreFactory(unit=unit_b))
    HonourFactory(title="财政局团队", year=2025, cadre=None, team=TeamFactory(unit=unit_b))
    client.force_login(staff)
    response = client.get(HONOURS)
    assert sorted(titles(response)) == sorted(["优秀党员", "先进支部", "优秀团队"])
    assert response.context["form"].fields["year"].choices[1:] == [(2025, 2025), (2024, 2024)]
    assert titles(client.get(HONOURS, {"year": 2024})) == ["先进支部"]
    assert titles(client.get(HONOURS, {"recipient": "cadre"})) == ["优秀党员"]
    assert titles(client.get(HONOURS, {"recipient": "team"})) == ["优秀团队"]
    assert titles(client.get(HONOURS, {"recipient": "branch"})) == ["先进支部"]


def test_a_branch_secretary_sees_honours_of_their_branch_and_members(client, unit_a):
    led = PartyBranchFactory(unit=unit_a)
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    BranchRoleFactory(
        branch=led,
        cadre=CadreFactory(unit=unit_a, account=secretary),
        role=BranchRole.Role.SECRETARY,
    )
    member = CadreFactory(unit=unit_a)
    BranchRoleFactory(branch=led, cadre=member)
    HonourFactory(title="本支部党员", cadre=member)
    HonourFactory(title="本支部", cadre=None, branch=led)
    HonourFactory(title="同单位他人", cadre=CadreFactory(unit=unit_a))
    HonourFactory(title="同单位别的支部", cadre=None, branch=PartyBranchFactory(unit=unit_a))
    client.force_login(secretary)
    assert sorted(titles(client.get(HONOURS))) == sorted(["本支部党员", "本支部"])
    assert client.get(HONOUR_NEW).status_code == 403


def test_honours_list_query_count_does_not_grow(client, staff, unit_a):
    client.force_login(staff)
    HonourFactory(cadre=CadreFactory(unit=unit_a))
    client.get(HONOURS)
    with CaptureQueriesContext(connection) as few:
        client.get(HONOURS)
    for year in range(2000, 2012):
        HonourFactory(year=year, cadre=CadreFactory(unit=unit_a))
        HonourFactory(year=year, cadre=None, branch=PartyBranchFactory(unit=unit_a))
        HonourFactory(year=year, cadre=None, team=TeamFactory(unit=unit_a))
    with CaptureQueriesContext(connection) as many:
        response = client.get(HONOURS)
    assert len(response.context["page"]) == 30
    assert len(many) == len(few)
    assert len(client.get(HONOURS, {"page": 2}).context["page"]) == 7


def honour_data(**overrides):
    data = {"title": "先进集体", "level": "county", "year": "2025", "awarded_by": "县委组织部"}
    data.update(overrides)
    return data


def test_recording_an_honour_for_a_team_a_branch_or_a_cadre(client, staff, unit_a):
    team = TeamFactory(unit=unit_a)
    branch = PartyBranchFactory(unit=unit_a)
    cadre = CadreFactory(unit=unit_a)
    client.force_login(staff)
    assert client.get(HONOUR_NEW, {"team": team.pk}).context["form"]["team"].value() == team.pk
    # A stray branch is ignored when the team is the chosen kind.
    response = client.post(
        HONOUR_NEW, honour_data(recipient_kind="team", team=team.pk, branch=branch.pk)
    )
    assert response.status_code == 302 and response.url == team.get_absolute_url()
    honour = Honour.objects.get()
    assert (honour.team, honour.branch, honour.cadre) == (team, None, None)
    client.post(HONOUR_NEW, honour_data(recipient_kind="branch", branch=branch.pk))
    response = client.post(
        HONOUR_NEW, honour_data(title="优秀共产党员", recipient_kind="cadre", cadre=cadre.pk)
    )
    assert response.url == HONOURS
    assert Honour.objects.get(cadre=cadre).title == "优秀共产党员"
    assert Honour.objects.filter(branch=branch).count() == 1


def test_an_honour_without_its_recipient_re_renders(client, staff, unit_a, unit_b):
    client.force_login(staff)
    response = client.post(HONOUR_NEW, honour_data(recipient_kind="team"))
    assert response.status_code == 200 and "team" in response.context["form"].errors
    response = client.post(
        HONOUR_NEW, honour_data(recipient_kind="cadre", cadre=CadreFactory(unit=unit_b).pk)
    )
    assert "请通过搜索框选择" in str(response.context["form"].errors["cadre"])
    response = client.post(
        HONOUR_NEW, honour_data(recipient_kind="team", team=TeamFactory(unit=unit_b).pk)
    )
    assert "team" in response.context["form"].errors
    assert not Honour.objects.exists()


# Suggestions -----------------------------------------------------------------------------


def test_suggestions_by_status_with_the_reply(client, staff, unit_a, unit_b):
    SuggestionFactory(title="新收到的", cadre=CadreFactory(unit=unit_a))
    SuggestionFactory(
        title="已答复的",
        cadre=CadreFactory(unit=unit_a),
        status="answered",
        forwarded_to="县民政局",
        response="已采纳，年内实施。",
    )
    SuggestionFactory(title="财政局的", cadre=CadreFactory(unit=unit_b))
    client.force_login(staff)
    response = client.get(SUGGESTIONS)
    assert sorted(titles(response)) == sorted(["新收到的", "已答复的"])
    counts = {item["value"]: item["count"] for item in response.context["status_counts"]}
    assert counts == {"received": 1, "forwarded": 0, "answered": 1}
    assert "已采纳，年内实施。" in response.content.decode()
    assert titles(client.get(SUGGESTIONS, {"status": "answered"})) == ["已答复的"]
    assert titles(client.get(SUGGESTIONS, {"q": "新收"})) == ["新收到的"]


def test_suggestions_query_count_does_not_grow(client, staff, unit_a):
    client.force_login(staff)
    SuggestionFactory(cadre=CadreFactory(unit=unit_a))
    client.get(SUGGESTIONS)
    with CaptureQueriesContext(connection) as few:
        client.get(SUGGESTIONS)
    for _ in range(30):
        SuggestionFactory(cadre=CadreFactory(unit=unit_a), activity=ActivityFactory(unit=unit_a))
    with CaptureQueriesContext(connection) as many:
        response = client.get(SUGGESTIONS)
    assert len(response.context["page"]) == 30
    assert len(many) == len(few)
    assert len(client.get(SUGGESTIONS, {"page": 2}).context["page"]) == 1


def test_recording_a_suggestion_collected_at_an_activity(client, staff, unit_a):
    activity = ActivityFactory(unit=unit_a, kind="forum")
    cadre = CadreFactory(unit=unit_a)
    client.force_login(staff)
    form = client.get(SUGGESTION_NEW, {"activity": activity.pk}).context["form"]
    assert form["activity"].value() == activity.pk
    response = client.post(
        SUGGESTION_NEW,
        {
            "cadre": cadre.pk,
            "submitted_on": "2026-04-01",
            "category": "senior_work",
            "title": "增加老年大学班次",
            "text": "书法班报名人数多，建议增开一个班。",
            "activity": activity.pk,
        },
    )
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    suggestion = Suggestion.objects.get()
    assert (suggestion.cadre, suggestion.status) == (cadre, "received")
    assert suggestion.history.get().history_user == staff


def test_a_suggestion_without_text_re_renders(client, staff, unit_a):
    client.force_login(staff)
    response = client.post(
        SUGGESTION_NEW,
        {"cadre": CadreFactory(unit=unit_a).pk, "submitted_on": "2026-04-01", "title": "无内容"},
    )
    assert response.status_code == 200
    assert {"text", "category"} <= set(response.context["form"].errors)
    assert not Suggestion.objects.exists()


def test_forwarding_then_answering_a_suggestion(client, staff, unit_a, unit_b):
    suggestion = SuggestionFactory(cadre=CadreFactory(unit=unit_a))
    url = reverse("activities:suggestion_answer", args=[suggestion.pk])
    client.force_login(staff)
    assert client.get(url).context["form"]["status"].value() == "forwarded"
    response = client.post(url, {"status": "forwarded"})
    assert response.status_code == 200
    assert "请填写转交单位" in str(response.context["form"].errors["forwarded_to"])
    response = client.post(
        url, {"status": "forwarded", "forwarded_to": "县住建局", "forwarded_on": "2026-04-03"}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.forwarded_to) == ("forwarded", "县住建局")
    assert suggestion.forwarded_on == datetime.date(2026, 4, 3)
    assert client.get(url).context["form"]["status"].value() == "answered"
    response = client.post(url, {"status": "answered", "forwarded_to": "县住建局"})
    assert "请填写答复内容" in str(response.context["form"].errors["response"])
    client.post(
        url,
        {"status": "answered", "forwarded_to": "县住建局", "response": "已列入明年计划。"},
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.response) == ("answered", "已列入明年计划。")
    other = SuggestionFactory(cadre=CadreFactory(unit=unit_b))
    assert client.get(reverse("activities:suggestion_answer", args=[other.pk])).status_code == 404


def test_branch_secretaries_do_not_record_or_answer_suggestions(client, unit_a):
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    suggestion = SuggestionFactory(cadre=CadreFactory(unit=unit_a))
    client.force_login(secretary)
    assert client.get(SUGGESTIONS).status_code == 200
    assert client.get(SUGGESTION_NEW).status_code == 403
    url = reverse("activities:suggestion_answer", args=[suggestion.pk])
    assert client.post(url, {"status": "answered", "response": "好"}).status_code == 403
