"""The money's pages with each role: who may open what, and what they show."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cadres.models import Visit, VisitOccasion
from funds.models import BudgetLine, Expense, Standard
from tests.factories import CadreFactory, VisitFactory

from .factories import BudgetLineFactory, ExpenseFactory, StandardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def money(today, unit_a, unit_b):
    """A 春节 standard, lines of both units, a visit and an expense on each."""
    spring = VisitOccasion.objects.get(code="spring_festival")
    StandardFactory(year=2026, occasion=spring, amount=Decimal("800.00"))
    lines = {}
    for key, unit in (("a", unit_a), ("b", unit_b)):
        lines[key] = BudgetLineFactory(
            unit=unit, code="spring_festival", computed_amount=Decimal("1600.00")
        )
        cadre = CadreFactory(unit=unit, name=f"{unit.name[:2]}老人")
        VisitFactory(
            cadre=cadre,
            occasion=spring,
            visited_on=datetime.date(2026, 1, 20),
            condolence_money=Decimal("500.00"),
            gifts_value=Decimal("100.50"),
        )
        VisitFactory(
            cadre=CadreFactory(unit=unit),
            occasion=spring,
            status=Visit.Status.PLANNED,
            visited_on=None,
            due_on=datetime.date(2026, 12, 20),
        )
        lines[f"expense_{key}"] = ExpenseFactory(unit=unit, payee=f"{unit.name}活动中心")
    return lines


def test_overview_shows_each_units_figures_to_the_bureau(client, roles, money):
    client.force_login(roles["bureau"])
    page = client.get(reverse("funds:overview"), {"year": 2026})
    assert page.status_code == 200
    body = page.content.decode()
    assert "县教育局" in body and "县财政局" in body
    rows = {(r.unit.name, r.code): r for g in page.context["groups"] for r in g.rows}
    row = rows[("县教育局", "spring_festival")]
    assert row.budget == Decimal("1600.00")
    assert row.spent == Decimal("600.50")
    assert row.committed == Decimal("800.00")
    assert row.remaining == Decimal("999.50")
    assert row.available == Decimal("199.50")
    # The expense has no line: it shows, unbudgeted.
    assert rows[("县教育局", "activity")].line is None
    assert page.context["total"].budget == Decimal("3200.00")


def test_unit_staff_see_their_units_only(client, roles, money):
    client.force_login(roles["unit"])
    body = client.get(reverse("funds:overview")).content.decode()
    assert "县教育局" in body and "县财政局" not in body
    assert client.get(money["b"].get_absolute_url()).status_code == 404
    assert client.get(money["a"].get_absolute_url()).status_code == 200
    assert client.get(money["expense_b"].get_absolute_url()).status_code == 404
    report = client.get(reverse("funds:report"), {"year": 2026}).content.decode()
    assert "县财政局" not in report


def test_branch_secretaries_handle_no_money(client, roles, money):
    client.force_login(roles["secretary"])
    for url in (
        reverse("funds:overview"),
        reverse("funds:report"),
        reverse("funds:expenses"),
        reverse("funds:expense_new"),
        money["a"].get_absolute_url(),
    ):
        assert client.get(url).status_code == 403, url
    assert "funds" not in client.get(reverse("reports:dashboard")).content.decode()


@pytest.mark.parametrize("role", ["unit", "bureau"])
def test_only_administrators_set_standards_and_compute(client, roles, money, role):
    client.force_login(roles[role])
    standard = Standard.objects.get()
    for url in (
        reverse("funds:standards"),
        reverse("funds:compute"),
        reverse("funds:standard_edit", args=[standard.pk]),
        reverse("funds:standard_delete", args=[standard.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("funds:standards") + "?year=2026",
        {"occasion": standard.occasion_id, "basis": "per_head", "amount": "1"},
    )
    assert response.status_code == 403
    assert reverse("funds:standards") not in client.get(reverse("funds:overview")).content.decode()


def test_administrator_adds_a_standard_and_computes(client, roles, money, unit_a):
    client.force_login(roles["admin"])
    chongyang = VisitOccasion.objects.get(code="double_ninth")
    response = client.post(
        reverse("funds:standards") + "?year=2026",
        {"occasion": chongyang.pk, "basis": "per_head", "amount": "300.00", "retirement_kind": ""},
    )
    assert response.status_code == 302
    assert Standard.objects.filter(occasion=chongyang, amount=Decimal("300.00")).exists()
    preview = client.get(
        reverse("funds:compute"), {"year": 2026, "register_date": "2026-06-01"}
    ).context["preview"]
    # Unit A: two cadres on the register (ages irrelevant): 800×2 for 春节, 300×2 for 重阳.
    found = {(line.unit.pk, line.code): line for line in preview.lines}
    assert found[(unit_a.pk, "spring_festival")].amount == Decimal("1600.00")
    assert found[(unit_a.pk, "spring_festival")].difference == Decimal("0.00")
    assert found[(unit_a.pk, "double_ninth")].amount == Decimal("600.00")
    assert found[(unit_a.pk, "double_ninth")].is_new
    response = client.post(
        reverse("funds:compute") + "?year=2026",
        {"register_date": "2026-06-01", "digest": preview.digest},
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(unit=unit_a, code="double_ninth", year=2026)
    assert line.amount == Decimal("600.00") and line.heads == 2


def test_a_stale_preview_is_not_applied(client, roles, money, unit_a):
    client.force_login(roles["admin"])
    response = client.post(
        reverse("funds:compute") + "?year=2026",
        {"register_date": "2026-06-01", "digest": "stale"},
        follow=True,
    )
    assert "look again" in response.content.decode() or "重新" in response.content.decode()
    assert not BudgetLine.objects.filter(register_date=datetime.date(2026, 6, 1)).exists()


def test_bureau_adjusts_a_line_with_a_reason_and_unit_staff_may_not(client, roles, money):
    line = money["a"]
    client.force_login(roles["unit"])
    url = reverse("funds:line_adjust", args=[line.pk])
    assert client.post(url, {"amount": "100", "reason": "x"}).status_code == 403
    client.force_login(roles["bureau"])
    assert client.post(url, {"amount": "100", "reason": ""}).status_code == 400
    assert client.post(url, {"amount": "-1600.01", "reason": "核减"}).status_code == 400
    assert client.post(url, {"amount": "250.25", "reason": "增加困难老干部"}).status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("1850.25")
    assert line.computed_amount == Decimal("1600.00")
    assert line.adjustments.get().reason == "增加困难老干部"
    history = client.get(reverse("funds:line_history", args=[line.pk]))
    assert history.status_code == 200
    # The line's code as staff know it: the occasion's name, never the code.
    page = history.content.decode()
    assert line.occasion.name in page and f"{line.code}<" not in page


def test_a_line_for_other_spending_is_created_by_an_adjustment(client, roles, money, unit_a):
    client.force_login(roles["bureau"])
    response = client.post(
        reverse("funds:line_new") + "?year=2026",
        {"unit": unit_a.pk, "code": "activity", "amount": "5000", "reason": "重阳活动"},
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(unit=unit_a, code="activity", year=2026)
    assert line.amount == Decimal("5000.00") and line.occasion is None
    # The expense recorded before the line existed now belongs to it.
    assert money["expense_a"].__class__.objects.get(pk=money["expense_a"].pk).line == line


def test_expense_form_refuses_overspending_and_shows_what_remains(client, roles, money, unit_a):
    client.force_login(roles["unit"])
    data = {
        "spent_on": "2026-06-01",
        "unit": unit_a.pk,
        "line_code": "spring_festival",
        "source": "other",
        "amount": "1000.00",
        "payee": "超市",
    }
    page = client.post(reverse("funds:expense_new"), data)
    assert page.status_code == 200
    assert "999.50" in page.content.decode()
    assert "overspend_reason" not in page.context["form"].fields
    assert not Expense.objects.filter(payee="超市").exists()
    data["amount"] = "999.50"
    assert client.post(reverse("funds:expense_new"), data).status_code == 302


def test_bureau_overspends_on_the_form_with_a_reason(client, roles, money, unit_a):
    client.force_login(roles["bureau"])
    data = {
        "spent_on": "2026-06-01",
        "unit": unit_a.pk,
        "line_code": "spring_festival",
        "source": "other",
        "amount": "1000.00",
        "payee": "超市",
    }
    assert client.post(reverse("funds:expense_new"), data).status_code == 200
    data["overspend_reason"] = "春节补发慰问品"
    response = client.post(reverse("funds:expense_new"), data)
    assert response.status_code == 302
    expense = Expense.objects.get(payee="超市")
    assert expense.overspend_reason == "春节补发慰问品"


def test_voiding_an_expense_keeps_it_and_stops_counting_it(client, roles, money):
    client.force_login(roles["unit"])
    expense = money["expense_a"]
    url = reverse("funds:expense_void", args=[expense.pk])
    client.post(url, {"reason": ""})
    expense.refresh_from_db()
    assert not expense.is_void
    client.post(url, {"reason": "重复登记"})
    expense.refresh_from_db()
    assert expense.is_void
    page = client.get(reverse("funds:overview"))
    rows = {(r.unit.name, r.code): r for g in page.context["groups"] for r in g.rows}
    assert ("县教育局", "activity") not in rows


def test_visit_budget_warns_beside_the_visit_form(client, roles, money, unit_a):
    client.force_login(roles["unit"])
    cadre = CadreFactory(unit=unit_a)
    spring = VisitOccasion.objects.get(code="spring_festival")
    url = reverse("funds:visit_budget")
    within = client.get(
        url,
        {
            "cadre": cadre.pk,
            "occasion": spring.pk,
            "visited_on": "2026-06-01",
            "condolence_money": "800",
            "gifts_value": "",
        },
    )
    body = within.content.decode()
    assert "999.50" in body and "199.50" in body and "data-overspends" not in body
    over = client.get(
        url,
        {
            "cadre": cadre.pk,
            "occasion": spring.pk,
            "visited_on": "2026-06-01",
            "condolence_money": "800",
            "gifts_value": "200",
        },
    ).content.decode()
    assert "data-overspends" in over and "-0.50" in over
    # Another unit's cadre, or nonsense: nothing is said.
    other = CadreFactory(unit=money["b"].unit)
    for params in ({"cadre": other.pk, "occasion": spring.pk}, {"cadre": "x", "occasion": "²"}):
        response = client.get(url, params)
        assert response.status_code == 200 and "data-visit-budget" not in response.content.decode()


def test_correcting_a_done_visit_does_not_count_its_money_twice(client, roles, money, unit_a):
    client.force_login(roles["unit"])
    visit = Visit.objects.get(cadre__unit=unit_a, status="done")
    body = client.get(
        reverse("funds:visit_budget"),
        {"visit": visit.pk, "condolence_money": "500.00", "gifts_value": "100.50"},
    ).content.decode()
    assert "1,600.00" in body and "999.50" in body


def test_the_visit_forms_ask_the_gifts_value_and_load_the_budget(client, roles, money, unit_a):
    client.force_login(roles["unit"])
    planned = Visit.objects.get(cadre__unit=unit_a, status="planned")
    for url in (
        reverse("cadres:visit_new"),
        reverse("cadres:visit_complete", args=[planned.pk]),
        reverse("cadres:visit_edit", args=[planned.pk]),
    ):
        body = client.get(url).content.decode()
        assert 'name="gifts_value"' in body, url
        assert reverse("funds:visit_budget") in body, url
        assert "htmx.min.js" in body, url
    response = client.post(
        reverse("cadres:visit_complete", args=[planned.pk]),
        {
            "visited_on": "2026-06-01",
            "mode": "home",
            "condolence_money": "800.00",
            "gifts_value": "150.00",
        },
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.gifts_value == Decimal("150.00")
