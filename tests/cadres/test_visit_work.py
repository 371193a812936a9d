"""Visits as work items: completing, rescheduling and cancelling planned visits,
follow-ups planned as visits, return visits after a need, and the pages for them."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from cadres.models import Visit, VisitOccasion
from cadres.services import (
    cadre_mark_deceased,
    cadre_transfer_out,
    care_need_resolve,
    visit_cancel,
    visit_complete,
    visit_record,
    visit_reschedule,
    visit_update,
)
from tests.factories import (
    BranchRoleFactory,
    CadreFactory,
    CareNeedFactory,
    PartyBranchFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)
D = datetime.date


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(
        datetime.datetime(2026, 11, 20, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
        tick=False,
    ):
        yield


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a, full_name="联络员甲")


def occasion(code):
    return VisitOccasion.objects.get(code=code)


def planned(cadre, due_on=TODAY, code="routine", **fields):
    return VisitFactory(
        cadre=cadre,
        occasion=occasion(code),
        status=Visit.Status.PLANNED,
        visited_on=None,
        due_on=due_on,
        **fields,
    )


def reasons(visit):
    return [row.history_change_reason for row in visit.history.order_by("history_id")]


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Services ------------------------------------------------------------------------------------


def test_completing_a_planned_visit(staff, unit_a):
    visit = planned(CadreFactory(unit=unit_a))
    visit_complete(
        visit=visit,
        by=staff,
        visited_on=TODAY,
        mode=Visit.Mode.HOME,
        leaders="局长",
        condolence_money=500,
        gifts="水果",
        notes="身体尚好",
    )
    visit.refresh_from_db()
    assert (visit.status, visit.visited_on, visit.leaders) == ("done", TODAY, "局长")
    assert list(visit.visitors.all()) == [staff]  # the user, when nobody is named
    assert reasons(visit)[-1] == "完成计划走访"
    assert visit.history.latest().history_user == staff
    # One history entry for the completion, with the visitors in it.
    assert visit.history.count() == 2


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_only_a_planned_visit_is_completed_rescheduled_or_cancelled(staff, unit_a, status):
    visit = VisitFactory(
        cadre=CadreFactory(unit=unit_a),
        status=status,
        cancellation_reason="重复" if status == "cancelled" else "",
    )
    with pytest.raises(ValidationError, match="只有计划中的走访才能完成"):
        visit_complete(visit=visit, by=staff, visited_on=TODAY)
    with pytest.raises(ValidationError, match="只有计划中的走访才能改期"):
        visit_reschedule(visit=visit, by=staff, due_on=TODAY, reason="家中有事")
    with pytest.raises(ValidationError, match="只有计划中的走访才能取消"):
        visit_cancel(visit=visit, by=staff, reason="不再需要")
    visit.refresh_from_db()
    assert visit.status == status


def test_a_visit_completed_meanwhile_is_not_completed_twice(staff, unit_a):
    visit = planned(CadreFactory(unit=unit_a))
    stale = Visit.objects.get(pk=visit.pk)
    visit_complete(visit=visit, by=staff, visited_on=TODAY)
    with pytest.raises(ValidationError):
        visit_cancel(visit=stale, by=staff, reason="改由单位集中慰问")
    assert Visit.objects.get(pk=visit.pk).status == "done"


def test_rescheduling_keeps_the_reason_in_the_history(staff, unit_a):
    visit = planned(CadreFactory(unit=unit_a))
    with pytest.raises(ValidationError) as refused:
        visit_reschedule(visit=visit, by=staff, due_on=D(2026, 11, 19), reason="")
    assert set(refused.value.message_dict) == {"due_on", "reason"}
    visit_reschedule(visit=visit, by=staff, due_on=D(2026, 11, 25), reason="老人外出探亲")
    visit.refresh_from_db()
    assert (visit.status, visit.due_on) == ("planned", D(2026, 11, 25))
    assert reasons(visit)[-1] == "由2026-11-20改期至2026-11-25，原因：老人外出探亲"


def test_cancelling_needs_a_reason_kept_on_the_visit(staff, unit_a):
    visit = planned(CadreFactory(unit=unit_a))
    with pytest.raises(ValidationError):
        visit_cancel(visit=visit, by=staff, reason="  ")
    visit_cancel(visit=visit, by=staff, reason="已随春节集中慰问一并走访")
    visit.refresh_from_db()
    assert visit.status == "cancelled"
    assert visit.cancellation_reason == "已随春节集中慰问一并走访"
    assert reasons(visit)[-1] == "取消：已随春节集中慰问一并走访"


def test_a_cancelled_visit_without_a_reason_is_refused_by_the_database(unit_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        VisitFactory(cadre=CadreFactory(unit=unit_a), status="cancelled")


def test_a_visit_needing_a_follow_up_plans_it(staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    visit = visit_record(
        by=staff,
        cadre=cadre,
        occasion=occasion("hospital"),
        visited_on=TODAY,
        mode=Visit.Mode.HOSPITAL,
        follow_up_needed=True,
        follow_up_by=D(2026, 11, 27),
    )
    [follow_up] = visit.follow_ups.all()
    assert (follow_up.status, follow_up.due_on, follow_up.occasion.code) == (
        "planned",
        D(2026, 11, 27),
        "hospital",
    )
    assert not follow_up.visitors.exists()  # who visits is known once it is done
    assert reasons(follow_up) == ["为2026-11-20的走访安排跟进"]
    # A new follow-up date moves it; no follow-up asked any more cancels it.
    visit_update(visit=visit, by=staff, follow_up_by=D(2026, 11, 30))
    follow_up.refresh_from_db()
    assert follow_up.due_on == D(2026, 11, 30)
    visit_update(visit=visit, by=staff, follow_up_needed=False, follow_up_by=None)
    follow_up.refresh_from_db()
    assert follow_up.status == "cancelled" and follow_up.cancellation_reason
    assert visit.follow_ups.count() == 1


def test_a_completed_follow_up_may_plan_the_next(staff, unit_a):
    first = visit_record(
        by=staff,
        cadre=CadreFactory(unit=unit_a),
        occasion=occasion("routine"),
        visited_on=D(2026, 11, 10),
        follow_up_needed=True,
        follow_up_by=TODAY,
    )
    follow_up = first.follow_ups.get()
    visit_complete(
        visit=follow_up,
        by=staff,
        visited_on=TODAY,
        follow_up_needed=True,
        follow_up_by=D(2026, 12, 20),
    )
    following = follow_up.follow_ups.get()
    assert (following.status, following.due_on, following.follow_up_of) == (
        "planned",
        D(2026, 12, 20),
        follow_up,
    )
    assert first.follow_ups.count() == 1  # the first visit's follow-up is done


def test_a_deceased_cadre_gets_no_new_visit_but_the_condolence_visit_is_completable(staff, unit_a):
    cadre = CadreFactory(unit=unit_a, liaison=staff)
    routine = planned(cadre, due_on=D(2026, 11, 30))
    condolence = cadre_mark_deceased(cadre=cadre, died_on=D(2026, 11, 19), by=staff)
    routine.refresh_from_db()
    assert routine.status == "cancelled" and reasons(routine)[-1] == "取消：老干部已去世。"
    assert reasons(condolence) == ["登记去世后安排吊唁慰问"]
    with pytest.raises(ValidationError) as refused:
        visit_record(by=staff, cadre=cadre, occasion=occasion("routine"), visited_on=TODAY)
    assert refused.value.message_dict["cadre"] == [
        "该老干部已去世，不能再登记新的走访；已计划的走访仍可完成。"
    ]
    visit_complete(
        visit=condolence,
        by=staff,
        visited_on=TODAY,
        condolence_money=2000,
        notes="慰问家属",
        follow_up_needed=True,
        follow_up_by=D(2026, 12, 20),
    )
    condolence.refresh_from_db()
    assert condolence.status == "done"
    # The family's follow-up (help with the survivor's benefits) is a condolence visit too.
    assert condolence.follow_ups.get().occasion.code == "condolence"


def test_a_transferred_cadre_gets_no_new_visit(staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    visit = planned(cadre)
    cadre_transfer_out(cadre=cadre, transferred_on=TODAY, transferred_to="西安", by=staff)
    visit.refresh_from_db()
    assert visit.cancellation_reason == "老干部已转出。"
    with pytest.raises(ValidationError, match="已转出"):
        visit_record(by=staff, cadre=cadre, occasion=occasion("routine"), visited_on=TODAY)


def test_resolving_a_need_may_plan_its_return_visit(staff, unit_a):
    need = CareNeedFactory(cadre=CadreFactory(unit=unit_a), raised_on=D(2026, 11, 1))
    with pytest.raises(ValidationError) as refused:
        care_need_resolve(
            need=need,
            by=staff,
            resolution="已协调医院",
            resolved_on=TODAY,
            return_visit_on=D(2026, 11, 2),
        )
    assert "return_visit_on" in refused.value.message_dict
    need.refresh_from_db()
    assert need.status != "resolved"
    care_need_resolve(
        need=need,
        by=staff,
        resolution="已协调医院",
        resolved_on=TODAY,
        return_visit_on=D(2026, 12, 1),
    )
    [visit] = need.return_visits.all()
    assert (visit.status, visit.due_on, visit.occasion.code) == (
        "planned",
        D(2026, 12, 1),
        "return_visit",
    )


# Pages ---------------------------------------------------------------------------------------


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


# Query counts --------------------------------------------------------------------------------


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
