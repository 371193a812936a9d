"""Branch names in natural order: 第1 … 第9, 第10, in Arabic or Chinese numerals, on the
branch list (paginated in SQL), in the pickers and in the report table."""

import importlib
import types

import pytest
from django.db import connection
from django.urls import reverse

from branches.models import PartyBranch
from branches.natural_order import chinese_number, natural_sort_key
from tests.factories import BranchRoleFactory, CadreFactory, PartyBranchFactory, UserFactory

pytestmark = pytest.mark.django_db
NATURAL = [f"第{number}支部" for number in range(1, 13)]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("一百零五", 105), ("二〇二四", 2024)],
)
def test_chinese_numerals(numeral, value):
    assert chinese_number(numeral) == value


def test_numbers_compare_by_value_whatever_their_writing():
    names = [
        "第10支部",
        "第二支部",
        "第１１支部",
        "第1支部",
        "第十二支部",
        "三支部",
        "统一战线支部",
    ]
    assert sorted(names, key=natural_sort_key) == [
        "三支部",
        "第1支部",
        "第二支部",
        "第10支部",
        "第１１支部",
        "第十二支部",
        "统一战线支部",
    ]
    # A numeral inside a word is part of the word.
    assert natural_sort_key("三会一课小组") == "三会一课小组"


def test_the_key_is_kept_on_save_and_on_bulk_create(unit_a):
    branch = PartyBranchFactory(unit=unit_a, name="第9支部")
    assert branch.sort_key == "第0000000009支部"
    branch.name = "第十支部"
    branch.save()
    assert PartyBranch.objects.get(pk=branch.pk).sort_key == "第0000000010支部"
    [created] = PartyBranch.objects.bulk_create(
        [PartyBranch(unit=unit_a, name="第3支部", kind=PartyBranch.Kind.JOINT)]
    )
    assert PartyBranch.objects.get(pk=created.pk).sort_key == "第0000000003支部"


def test_branch_list_pages_in_natural_order(client, unit_a, monkeypatch):
    monkeypatch.setattr("branches.views.PAGE_SIZE", 5)
    for name in reversed(NATURAL):
        PartyBranchFactory(unit=unit_a, name=name)
    client.force_login(UserFactory(unit=unit_a))
    listed = [
        branch.name
        for number in (1, 2, 3)
        for branch in client.get(reverse("branches:list"), {"page": number}).context["page"]
    ]
    assert listed == NATURAL


def test_pickers_and_the_report_table_list_branches_in_natural_order(client, unit_a):
    for name in reversed(NATURAL):
        branch = PartyBranchFactory(unit=unit_a, name=name)
        BranchRoleFactory(branch=branch, cadre=CadreFactory(unit=unit_a), role="secretary")
    client.force_login(UserFactory(unit=unit_a))
    registry = client.get(reverse("cadres:registry")).context["form"]
    assert [b.name for b in registry.fields["branch"].queryset] == NATURAL
    activity_form = client.get(reverse("activities:new")).context["form"]
    assert [b.name for b in activity_form.fields["branch"].queryset] == NATURAL
    table = client.get(reverse("reports:table", args=["branch-ages"])).context["report"]
    assert [row[0] for row in table.rows] == NATURAL


def test_migration_fills_the_keys_of_branches_already_there(unit_a):
    migration = importlib.import_module("branches.migrations.0003_branch_sort_key")
    branch = PartyBranchFactory(unit=unit_a, name="第十一支部")
    PartyBranch.objects.filter(pk=branch.pk).update(sort_key="")
    migration.fill_sort_keys(None, types.SimpleNamespace(connection=connection))
    assert PartyBranch.objects.get(pk=branch.pk).sort_key == "第0000000011支部"
