"""Bureau staff open a cadre's full ID number in place, and the viewing is logged."""

import pytest

from accounts.models import User
from cadres.models import IdNumberDisclosure
from tests.factories import CadreFactory, UnitFactory, UserFactory

from .test_reminders_pages import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_full_number_replaces_the_mask_in_place(live_server, page, shot):
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    unit = UnitFactory(name="县教育局", code="E", parent=bureau)
    UserFactory(username="bureau1", unit=bureau, role=User.Role.BUREAU_STAFF)
    cadre = CadreFactory(unit=unit, name="张三")
    sign_in(page, live_server.url, "bureau1")
    page.goto(f"{live_server.url}{cadre.get_absolute_url()}")
    assert cadre.id_number not in page.content()
    assert cadre.masked_id_number in page.inner_text("#id-number")
    page.click("#id-number button")
    page.wait_for_selector(f"#id-number:has-text('{cadre.id_number}')")
    assert page.url.endswith(cadre.get_absolute_url())  # no navigation: htmx swapped it in
    shot("cadre-id-number-shown")
    record = IdNumberDisclosure.objects.get()
    assert (record.user.username, record.cadre) == ("bureau1", cadre)
