"""No full resident ID number reaches a role that may not see one: every staff URL from
the URL conf, every admin page, every download, the calendar feed and the reminder
emails, read as unit staff and as a branch secretary, hold none of the registry's
numbers (nor their last eight characters, which with the birth date would complete
them)."""

import datetime
import io
import zipfile

import pytest
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from cadres.models import Cadre
from cadres.services import cadre_update
from ledger.columns import LEDGER_COLUMNS
from reminders.models import CalendarFeed
from tests.access_pages import PAGES
from tests.access_world import url_for, world  # noqa: F401 (the fixture)
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db

RESTRICTED = [User.Role.UNIT_STAFF, User.Role.BRANCH_SECRETARY]


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(body)):
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return body.decode("utf-8", errors="replace")


def _admin_urls() -> list[str]:
    urls = []
    for model in admin.site._registry:
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        for obj in model._default_manager.all()[:3]:
            urls.append(reverse(f"{prefix}_change", args=[obj.pk]))
            urls.append(reverse(f"{prefix}_history", args=[obj.pk]))
    urls.append(
        reverse("admin:autocomplete") + "?app_label=cadres&model_name=visit&field_name=cadre&term=1"
    )
    return urls


def _downloads(client) -> list:
    today = datetime.date.today()
    period = {"date_from": f"{today.year - 1}-01-01", "date_to": today.isoformat()}
    responses = [
        client.post(
            reverse("reports:export_cadres"),
            {"columns": [column.key for column in LEDGER_COLUMNS]},
        ),
        client.post(reverse("reports:export_visits"), period),
        client.post(reverse("reports:export_attendance"), period),
        client.get(reverse("ledger:template")),
    ]
    for slug in ("age-bands",):
        responses.append(client.get(reverse("reports:table", args=[slug]), {"format": "xlsx"}))
    return responses


@pytest.mark.parametrize("role", RESTRICTED)
def test_no_full_id_number_reaches_a_role_that_may_not_see_one(client, world, role):  # noqa: F811
    users, records = world
    # An ID number corrected once: the old number lives on in the history.
    corrected = records["mine"]["cadre"]
    cadre_update(
        cadre=corrected,
        id_number=make_id_number(corrected.birth_date, corrected.gender == "M", serial=450),
    )
    numbers = set(Cadre.objects.values_list("id_number", flat=True))
    numbers |= set(corrected.history.values_list("id_number", flat=True))
    user = users[role]
    user.is_staff = True  # even with the admin flag set by mistake
    user.save()
    client.force_login(user)
    responses = []
    for side in ("mine", "theirs"):
        for name, kind in PAGES.items():
            responses.append(client.get(url_for(name, kind, records[side])))
    responses += [client.get(url) for url in _admin_urls()]
    responses += _downloads(client)
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    responses.append(client.get(reverse("reminders:feed", args=[feed.token])))
    for response in responses:
        assert response.status_code < 500, response
        text = _text(response)
        leaked = [n for n in numbers if n in text or n[-8:] in text]
        assert not leaked, (response.wsgi_request.get_full_path(), leaked)
    call_command("send_reminders", stdout=io.StringIO())
    for message in mail.outbox:
        text = message.body + "".join(str(alt[0]) for alt in message.alternatives)
        assert not [n for n in numbers if n in text]
