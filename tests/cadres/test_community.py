"""居住社区 (四就近): the registry filters by the communities its cadres live in, and the
search box finds a community's residents."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("cadres:registry")


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a)


@pytest.fixture
def residents(unit_a, unit_a_child, unit_b):
    return {
        "东关甲": CadreFactory(unit=unit_a, name="东关甲", residential_community="城关镇东关社区"),
        "东关乙": CadreFactory(
            unit=unit_a_child, name="东关乙", residential_community="城关镇东关社区"
        ),
        "西关丙": CadreFactory(unit=unit_a, name="西关丙", residential_community="城关镇西关社区"),
        "无社区": CadreFactory(unit=unit_a, name="无社区", residential_community=""),
        # Another unit's: never offered nor found.
        "外单位": CadreFactory(unit=unit_b, name="外单位", residential_community="城关镇南关社区"),
    }


def names(response):
    return sorted(cadre.name for cadre in response.context["page"])


def test_the_filter_offers_the_communities_of_the_users_cadres(client, staff, residents):
    client.force_login(staff)
    form = client.get(URL).context["form"]
    offered = [value for value, _label in form.fields["community"].choices]
    assert offered == ["", "城关镇东关社区", "城关镇西关社区"]
    found = client.get(URL, {"community": "城关镇东关社区"})
    assert names(found) == ["东关乙", "东关甲"]
    # Another unit's community is no choice: the filter is refused, not applied.
    refused = client.get(URL, {"community": "城关镇南关社区"})
    assert "community" in refused.context["form"].errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("城关镇东关社区", ["东关乙", "东关甲"]),
        ("东关社区", ["东关乙", "东关甲"]),
        ("城关镇", ["东关乙", "东关甲", "西关丙"]),
        ("南关", []),
        ("西关丙", ["西关丙"]),
        # One character searches names only.
        ("城", []),
        ("丙", ["西关丙"]),
    ],
)
def test_the_search_box_finds_residents_by_community(client, staff, residents, text, expected):
    client.force_login(staff)
    assert names(client.get(URL, {"q": text})) == sorted(expected)


def test_the_row_shows_the_community(client, staff, residents):
    client.force_login(staff)
    body = client.get(URL, {"q": "西关"}).content.decode()
    assert "城关镇西关社区" in body


def test_the_ledger_export_keeps_the_community_filter(client, staff, residents):
    client.force_login(staff)
    url = reverse("reports:export_cadres") + "?community=城关镇西关社区"
    response = client.post(url, {"columns": ["name", "residential_community"]})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "西关丙" in values and "东关甲" not in values


def test_query_count_does_not_grow_with_communities(client, staff, unit_a):
    client.force_login(staff)
    CadreFactory(unit=unit_a, residential_community="一号社区")
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"community": "一号社区"})
    for number in range(30):
        CadreFactory(unit=unit_a, residential_community=f"第{number}社区")
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"community": "一号社区"})
    assert len(response.context["form"].fields["community"].choices) == 32
    assert len(many) == len(few)


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


def test_the_community_index_serves_the_filter_and_leaves_the_list_alone(bureau, residents):
    import datetime

    from cadres.models import Cadre
    from cadres.registry_list import cadre_list

    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Cadre._meta.db_table)
    assert indexes["cadre_community_status_idx"]["columns"] == [
        "residential_community",
        "status",
    ]
    if connection.vendor != "sqlite":
        return  # the plans below are SQLite's (PostgreSQL's depend on its statistics)
    bureau_staff = UserFactory(unit=bureau, role="bureau_staff")
    today = datetime.date(2026, 6, 1)
    filtered = cadre_list(user=bureau_staff, filters={"community": "城关镇东关社区"}, today=today)
    count = Cadre.objects.filter(status="active", residential_community="城关镇东关社区")
    # The count and the page's rows read the community's index entries alone.
    assert "COVERING INDEX cadre_community_status_idx" in _plan(count.order_by().values("pk"))
    assert "COVERING INDEX cadre_community_status_idx" in _plan(filtered)
    # Led by the community, the index is no candidate for the whole register in name order.
    listed = _plan(cadre_list(user=bureau_staff, filters={}, today=today)[:50])
    assert "cadre_status_name_idx" in listed and "cadre_community_status_idx" not in listed
