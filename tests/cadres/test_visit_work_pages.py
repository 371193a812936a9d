"""Visits as work items, through the pages: the to-do list, completing, rescheduling and
cancelling, editing, the visit list's follow-up filters, the needs page's return visit,
who may act, and the dashboard's panel of visits to do."""

import pytest
from django.urls import reverse

from accounts.models import User
from cadres.models import Visit
from cadres.services import cadre_mark_deceased
from cadres.visit_services import visit_complete, visit_record, visit_reschedule
from tests.cadres import planned_visits
from tests.cadres.planned_visits import TODAY, D, messages_of, occasion, planned
from tests.factories import (
    BranchRoleFactory,
    CadreFactory,
    CareNeedFactory,
    PartyBranchFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
frozen = planned_visits.frozen
staff = planned_visits.staff


def test_the_to_do_list_is_sorted_by_due_date_with_the_condolence_visit_first(
    client, staff, unit_a, unit_b
):
    late = planned(CadreFactory(unit=unit_a, name="甲"), due_on=D(2026, 11, 10))
    routine = planned(CadreFactory(unit=unit_a, name="乙"), due_on=D(2026, 11, 18))
    deceased = CadreFactory(unit=unit_a, name="丙", liaison=staff)
    condolence = cadre_mark_deceased(cadre=deceased, died_on=D(2026, 11, 15), by=staff)
    condolence.due_on = D(2026, 11, 18)
    condolence.save()
    planned(CadreFactory(unit=unit_a), due_on=D(2026, 12, 31))  # beyond the week
    planned(CadreFactory(unit=unit_b), due_on=D(2026, 11, 10))  # another unit
    client.force_login(staff)
    response = client.get(reverse("cadres:visit_todo"))
    assert list(response.context["page"]) == [late, condolence, routine]
    body = response.content.decode()
    assert "待办走访" in body and "逾期10天" in body and 'data-label="老干部"' in body
    overdue = client.get(reverse("cadres:visit_todo"), {"when": "overdue", "mine": "on"})
    assert list(overdue.context["page"]) == [condolence]
    everything = client.get(reverse("cadres:visit_todo"), {"when": "all"})
    assert everything.context["page"].paginator.count == 4


def test_the_to_do_list_filters_by_kind_and_liaison(client, staff, unit_a):
    other = UserFactory(unit=unit_a)
    mine = planned(CadreFactory(unit=unit_a, liaison=staff))
    theirs = planned(CadreFactory(unit=unit_a, liaison=other))
    follow_up = planned(
        CadreFactory(unit=unit_a),
        follow_up_of=VisitFactory(cadre=CadreFactory(unit=unit_a)),
    )
    client.force_login(staff)
    url = reverse("cadres:visit_todo")
    assert list(client.get(url, {"liaison": other.pk}).context["page"]) == [theirs]
    assert list(client.get(url, {"kind": "follow_up"}).context["page"]) == [follow_up]
    assert set(client.get(url, {"kind": "planned"}).context["page"]) == {mine, theirs}


def test_completing_from_the_to_do_list(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a, name="张三")
    visit = planned(cadre, mode=Visit.Mode.HOME)
    client.force_login(staff)
    back = reverse("cadres:visit_todo") + "?when=overdue"
    url = reverse("cadres:visit_complete", args=[visit.pk])
    form = client.get(url, {"next": back})
    assert form.status_code == 200
    assert form.context["form"]["visited_on"].value() == TODAY
    response = client.post(
        url,
        {
            "next": back,
            "visited_on": TODAY.isoformat(),
            "mode": "home",
            "visitors": [staff.pk],
            "condolence_money": "300",
            "leaders": "",
            "gifts": "",
            "notes": "",
            "follow_up_needed": "on",
            "follow_up_by": "2026-12-01",
        },
    )
    assert response.status_code == 302 and response.url == back
    visit.refresh_from_db()
    assert visit.status == "done" and visit.follow_ups.get().due_on == D(2026, 12, 1)
    assert "已安排 2026-12-01 的跟进走访。" in messages_of(response)
    # Done now: the completion form sends back to the visit with a message.
    again = client.get(url)
    assert again.status_code == 302 and again.url == visit.get_absolute_url()


def test_next_only_leads_to_this_site(client, staff, unit_a):
    visit = planned(CadreFactory(unit=unit_a))
    client.force_login(staff)
    response = client.post(
        reverse("cadres:visit_cancel", args=[visit.pk]),
        {"next": "https://evil.example/", "reason": "家属婉拒"},
    )
    assert response.url == reverse("cadres:visit_todo")


def test_a_bad_completion_shows_errors(client, staff, unit_a):
    visit = planned(CadreFactory(unit=unit_a))
    client.force_login(staff)
    response = client.post(
        reverse("cadres:visit_complete", args=[visit.pk]),
        {"visited_on": "2026-11-25", "condolence_money": "0", "follow_up_by": "2026-11-01"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "未来" in str(errors["visited_on"])
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_reschedule_and_cancel_pages(client, staff, unit_a):
    visit = planned(CadreFactory(unit=unit_a))
    client.force_login(staff)
    url = reverse("cadres:visit_reschedule", args=[visit.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"due_on": "2026-11-21", "reason": ""})
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    assert client.post(url, {"due_on": "2026-11-21", "reason": "约好周六"}).status_code == 302
    url = reverse("cadres:visit_cancel", args=[visit.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "家属婉拒"}).status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.due_on) == ("cancelled", D(2026, 11, 21))
    history = client.get(reverse("cadres:visit_history", args=[visit.pk])).content.decode()
    assert "取消：家属婉拒" in history and "原因：约好周六" in history


def test_editing_a_visit_keeps_visitors_of_other_units(client, staff, unit_a, bureau):
    bureau_staff = UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF, full_name="局里的人")
    visit = VisitFactory(cadre=CadreFactory(unit=unit_a), visited_on=D(2026, 11, 1))
    visit.visitors.set([bureau_staff])
    client.force_login(staff)
    url = reverse("cadres:visit_edit", args=[visit.pk])
    page = client.get(url)
    assert "局里的人" in page.content.decode() and "due_on" not in page.context["form"].fields
    response = client.post(
        url,
        {
            "occasion": visit.occasion_id,
            "visited_on": "2026-11-02",
            "mode": "home",
            "visitors": [bureau_staff.pk, staff.pk],
            "condolence_money": "0",
        },
    )
    assert response.status_code == 302 and response.url == visit.get_absolute_url()
    visit.refresh_from_db()
    assert visit.visited_on == D(2026, 11, 2)
    assert set(visit.visitors.all()) == {bureau_staff, staff}
    assert visit.history.latest().history_change_reason == "修改走访记录"


def test_the_visit_list_and_the_timeline_link_every_visit(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    done = VisitFactory(cadre=cadre, visited_on=D(2026, 11, 1))
    todo = planned(cadre)
    client.force_login(staff)
    listing = client.get(reverse("cadres:visits")).content.decode()
    page = client.get(cadre.get_absolute_url()).content.decode()
    for body in (listing, page):
        assert done.get_absolute_url() in body and todo.get_absolute_url() in body
        assert reverse("cadres:visit_edit", args=[done.pk]) in body
        assert reverse("cadres:visit_complete", args=[todo.pk]) in body


def test_the_visit_list_filters_follow_ups(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    pending = visit_record(
        by=staff,
        cadre=cadre,
        occasion=occasion("routine"),
        visited_on=D(2026, 11, 1),
        follow_up_needed=True,
        follow_up_by=D(2026, 11, 25),
    )
    late = visit_record(
        by=staff,
        cadre=cadre,
        occasion=occasion("routine"),
        visited_on=D(2026, 11, 2),
        follow_up_needed=True,
        follow_up_by=D(2026, 11, 15),
    )
    flagged_without_date = VisitFactory(cadre=cadre, follow_up_needed=True)
    followed = visit_record(
        by=staff,
        cadre=cadre,
        occasion=occasion("routine"),
        visited_on=D(2026, 11, 3),
        follow_up_needed=True,
        follow_up_by=D(2026, 11, 10),
    )
    visit_complete(visit=followed.follow_ups.get(), by=staff, visited_on=D(2026, 11, 9))
    VisitFactory(cadre=cadre)  # no follow-up asked
    client.force_login(staff)
    url = reverse("cadres:visits")
    assert set(client.get(url, {"follow_up": "pending"}).context["page"]) == {
        pending,
        late,
        flagged_without_date,
    }
    assert list(client.get(url, {"follow_up": "overdue"}).context["page"]) == [late]
    # Rescheduling the follow-up moves what counts as overdue.
    visit_reschedule(visit=late.follow_ups.get(), by=staff, due_on=D(2026, 11, 28), reason="住院中")
    assert list(client.get(url, {"follow_up": "overdue"}).context["page"]) == []


def test_a_new_visit_for_a_deceased_cadre_is_refused_with_the_reason(client, staff, unit_a):
    cadre = CadreFactory(unit=unit_a, name="李四")
    condolence = cadre_mark_deceased(cadre=cadre, died_on=D(2026, 11, 19), by=staff)
    client.force_login(staff)
    response = client.get(reverse("cadres:visit_new"), {"cadre": cadre.pk})
    assert response.status_code == 302 and response.url == cadre.get_absolute_url()
    refusal = "该老干部已去世，不能再登记新的走访；已计划的走访仍可完成。"
    assert messages_of(response) == [refusal]
    posted = client.post(
        reverse("cadres:visit_new"),
        {
            "cadre": cadre.pk,
            "occasion": occasion("routine").pk,
            "status": "done",
            "visited_on": "2026-11-18",
            "mode": "home",
            "condolence_money": "0",
        },
    )
    assert posted.status_code == 200
    assert posted.context["form"].errors["cadre"] == [refusal]
    page = client.get(cadre.get_absolute_url()).content.decode()
    assert reverse("cadres:visit_complete", args=[condolence.pk]) in page
    assert "完成走访：去世吊唁" in page


def test_resolving_with_a_return_visit_from_the_needs_page(client, staff, unit_a):
    need = CareNeedFactory(cadre=CadreFactory(unit=unit_a), raised_on=D(2026, 11, 1))
    client.force_login(staff)
    response = client.post(
        reverse("cadres:need_resolve", args=[need.pk]),
        {"resolution": "已落实", "resolved_on": "2026-11-20", "return_visit_on": "2026-11-27"},
    )
    assert response.status_code == 302
    assert need.return_visits.get().due_on == D(2026, 11, 27)


def test_branch_secretaries_read_visits_of_their_members_but_do_not_act(client, unit_a):
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    branch = PartyBranchFactory(unit=unit_a)
    BranchRoleFactory(
        branch=branch, cadre=CadreFactory(unit=unit_a, account=secretary), role="secretary"
    )
    member = BranchRoleFactory(branch=branch, cadre=CadreFactory(unit=unit_a)).cadre
    visit = planned(member)
    outsider = planned(CadreFactory(unit=unit_a))
    client.force_login(secretary)
    assert client.get(visit.get_absolute_url()).status_code == 200
    assert client.get(outsider.get_absolute_url()).status_code == 404
    todo = client.get(reverse("cadres:visit_todo"))
    assert list(todo.context["page"]) == [visit]
    assert reverse("cadres:visit_complete", args=[visit.pk]) not in todo.content.decode()
    for name in ("visit_complete", "visit_reschedule", "visit_cancel", "visit_edit"):
        assert client.post(reverse(f"cadres:{name}", args=[visit.pk])).status_code == 403
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_another_units_visit_is_not_found(client, staff, unit_b):
    visit = planned(CadreFactory(unit=unit_b))
    client.force_login(staff)
    for name in ("visit_detail", "visit_history", "visit_edit", "visit_complete"):
        assert client.get(reverse(f"cadres:{name}", args=[visit.pk])).status_code == 404
    assert (
        client.post(reverse("cadres:visit_cancel", args=[visit.pk]), {"reason": "x"}).status_code
        == 404
    )


def test_the_dashboard_panel_counts_visits_to_do(client, staff, unit_a, unit_b):
    overdue = planned(CadreFactory(unit=unit_a), due_on=D(2026, 11, 18))
    today = planned(CadreFactory(unit=unit_a), due_on=TODAY)
    planned(CadreFactory(unit=unit_a), due_on=D(2026, 11, 25))
    planned(CadreFactory(unit=unit_a), due_on=D(2026, 12, 25))  # beyond the week
    planned(CadreFactory(unit=unit_b), due_on=D(2026, 11, 18))  # another unit
    client.force_login(staff)
    response = client.get(reverse("reports:dashboard"))
    todo = response.context["todo"]
    assert (todo["overdue"], todo["today"], todo["coming"], todo["due"]) == (1, 1, 1, 3)
    assert todo["first"][:2] == [overdue, today]
    body = response.content.decode()
    assert "待办走访" in body and overdue.get_absolute_url() in body


@pytest.mark.parametrize("role", ["unit_staff", "bureau_staff"])
def test_the_panel_shows_the_first_few_in_order_for_a_unit_and_for_the_bureau(
    client, monkeypatch, unit_a, role
):
    """A unit's panel is counted from its visits' dates, the bureau's by the database:
    both show the earliest few, one day's visits by name, and count the same."""
    monkeypatch.setattr("cadres.visit_selectors.DASHBOARD_TO_DO_SHOWN", 2)
    later = planned(CadreFactory(unit=unit_a, name="安"), due_on=D(2026, 11, 25))
    second = planned(CadreFactory(unit=unit_a, name="赵"), due_on=D(2026, 11, 18))
    first = planned(CadreFactory(unit=unit_a, name="白"), due_on=D(2026, 11, 18))
    planned(CadreFactory(unit=unit_a), due_on=D(2027, 1, 25))  # beyond the week
    client.force_login(UserFactory(unit=unit_a, role=role))
    todo = client.get(reverse("reports:dashboard")).context["todo"]
    assert todo["first"] == [first, second] and later not in todo["first"]
    assert (todo["overdue"], todo["today"], todo["coming"], todo["due"]) == (2, 0, 1, 3)
