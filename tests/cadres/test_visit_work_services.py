"""Visits as work items, through the services: completing, rescheduling and cancelling
planned visits, follow-ups planned as visits, no new visit for a deceased or transferred
cadre, and return visits after a need."""

import pytest
from django.core.exceptions import ValidationError

from cadres.models import Visit
from cadres.need_services import care_need_resolve
from cadres.services import cadre_mark_deceased, cadre_transfer_out
from cadres.visit_services import (
    visit_cancel,
    visit_complete,
    visit_record,
    visit_reschedule,
    visit_update,
)
from tests.cadres import planned_visits
from tests.cadres.planned_visits import TODAY, D, occasion, planned, reasons
from tests.factories import CadreFactory, CareNeedFactory, VisitFactory

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
frozen = planned_visits.frozen
staff = planned_visits.staff


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
