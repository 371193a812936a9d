"""In English, the staff site shows no Chinese dates ("2026年12月1日", "6月15日") and no
full-width punctuation (：，、（）) of its own: every page of the site, walked by an
administrator who chose English. The records' own text (names, units) stays Chinese
and is kept free of such marks here, so that whatever is found is the site's."""

import re

import pytest

from accounts.models import Language, User
from tests.access_pages import PAGES
from tests.access_world import url_for, world  # noqa: F401 (a fixture)
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    HonourFactory,
    SuggestionFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
CHINESE_DATE = re.compile(r"\d+\s*年\s*\d+\s*月|\d+\s*月\s*\d+\s*日")
FULL_WIDTH = re.compile("[，：、（）；]")


def findings(body: str) -> list[str]:
    # Data of the seeded configuration (holiday and occasion descriptions) is text, not
    # the site's: only what sits in the page's markup is checked.
    return sorted({match.group(0) for match in CHINESE_DATE.finditer(body)}) + sorted(
        {body[max(match.start() - 30, 0) : match.end() + 30] for match in FULL_WIDTH.finditer(body)}
    )


def test_english_pages_have_no_chinese_dates_or_full_width_punctuation(client, world):  # noqa: F811
    users, records = world
    admin = users[User.Role.ADMINISTRATOR]
    admin.language = Language.ENGLISH
    admin.save()
    mine = records["mine"]
    cadre = mine["cadre"]
    # The cadre page's timeline and the lists read visits, honours, activities…
    VisitFactory(cadre=cadre).visitors.set([admin, users[User.Role.UNIT_STAFF]])
    HonourFactory(cadre=cadre)
    AttendanceFactory(activity=ActivityFactory(unit=cadre.unit), cadre=cadre, status="attended")
    SuggestionFactory(cadre=cadre, activity=mine["activity"], forwarded_to="县委办")
    client.force_login(admin)
    problems = {}
    for name, kind in sorted(PAGES.items()):
        url = url_for(name, kind, mine)
        response = client.get(url, follow=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        if "<html" in body:  # not a fragment (the picker's results)
            assert '<html lang="en">' in body, url
        found = findings(body)
        if found:
            problems[url] = found
    assert problems == {}
