"""Words a user reads on pages that were once left in English or as internal codes: the
error pages, the coverage report's percentage column and unit filter, the scorecard's
note on shares, and the budget line in an expense's history."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from cadres.models import VisitOccasion
from tests.factories import UserFactory
from tests.funds.factories import ExpenseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau_staff(bureau):
    return UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF)


@pytest.fixture
def secretary(unit_a):
    return UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)


@pytest.mark.parametrize("path", ["/assistance/999999/", "/no-such-page/"])
def test_a_missing_page_says_so_in_chinese_with_a_way_back(client, bureau_staff, path):
    client.force_login(bureau_staff)
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert f'href="{reverse("home")}"' in html and "返回工作台" in html
    assert "Not Found" not in html


def test_a_refused_page_says_so_in_chinese(client, secretary):
    client.force_login(secretary)
    response = client.get(reverse("funds:overview"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html and "请联系系统管理员" in html
    assert "Forbidden" not in html


def test_the_server_error_page_is_in_chinese_and_needs_no_context():
    with translation.override("zh-hans"):
        html = render_to_string("500.html")
    assert "服务器出错" in html and "返回工作台" in html


def test_the_coverage_report_heads_its_percentage_and_unit_filter_in_chinese(client, bureau_staff):
    client.force_login(bureau_staff)
    html = client.get(reverse("distributions:coverage"), {"year": 2026}).content.decode()
    assert "覆盖率（%）" in html
    assert "Coverage" not in html
    assert '<option value="" selected>全部单位</option>' in html


def test_the_scorecard_explains_its_shares_in_chinese(client, superuser):
    client.force_login(superuser)
    html = client.get(reverse("reports:scorecard"), {"year": 2026}).content.decode()
    assert "各项数值为 0 至 100% 的比例" in html
    assert "Each figure is a share" not in html


@pytest.mark.parametrize(
    ("code", "shown"),
    [("subscription", "报刊订阅"), ("spring_festival", None)],
)
def test_an_expense_history_names_its_budget_line_not_its_code(
    client, bureau_staff, bureau, code, shown
):
    expense = ExpenseFactory(
        unit=bureau,
        line_code=code,
        source="subscription" if code == "subscription" else "other",
        spent_on=datetime.date(2026, 3, 1),
        amount=Decimal("100.00"),
    )
    if shown is None:
        shown = VisitOccasion.objects.get(code=code).name
    client.force_login(bureau_staff)
    html = client.get(reverse("funds:expense_detail", args=[expense.pk])).content.decode()
    history = html.split("修改记录", 1)[1]
    assert shown in history
    assert f">{code}<" not in history


def test_the_expense_list_counts_its_expenses_in_words(client, bureau_staff, bureau):
    for day in (1, 2):
        ExpenseFactory(unit=bureau, spent_on=datetime.date(2026, 3, day))
    client.force_login(bureau_staff)
    html = client.get(reverse("funds:expenses"), {"year": 2026}).content.decode()
    assert "共 2 笔" in html
