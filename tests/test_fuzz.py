"""Bad parameters never answer 500: every page of the staff site, signed in as each role,
is asked for with hostile values in every query parameter and form field it reads, and
with hostile ids in its path; the admin's changelists with hostile filters. A bad value
is a 400, a 404 or a form error, never a crash (issue 9).

The parameters a page reads are found by watching it read them (a first request records
every name looked up in ``request.GET`` or ``request.POST``), so a parameter added to a
view later is fuzzed without being listed here."""

from contextlib import contextmanager
from unittest import mock
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.http import QueryDict
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from reminders.models import Digest
from tests import access_pages, access_world
from tests.factories import DigestFactory, ImportJobFactory

pytestmark = pytest.mark.django_db

world = access_world.world  # the records of the access walk: one's own and another unit's

THIRTY_DIGITS = "123456789012345678901234567890"
HOSTILE = [
    "abc",
    "²",  # str.isdigit() says yes, int() says no
    "\x00",  # PostgreSQL refuses NUL in a string literal
    "😀",
    THIRTY_DIGITS,  # beyond a 64-bit integer: SQLite raises OverflowError
    "-1",
    "2026-13-45",
    "x" * 10_000,
]
# Ids that match ``<int:pk>`` but fit no database integer.
HOSTILE_PATH_IDS = [THIRTY_DIGITS, str(2**63), "0"]
# The query parameters the views read (grep ``request.GET`` and the filter forms); the
# pages are also watched for the other names they read.
PARAMETERS = {
    "cadre",
    "occasion",
    "team",
    "branch",
    "activity",
    "unit",
    "year",
    "month",
    "date",
    "date_from",
    "date_to",
    "page",
    "status",
    "sort",
    "q",
    "holiday",
    "format",
    "overdue",
    "kind",
    "liaison",
    "visitor",
}


MARKER = "fuzz-marker"


@contextmanager
def names_read():
    """The names looked up meanwhile in a QueryDict that holds MARKER: the query string
    or the form data sent, not the other one."""
    read = set()

    def recording(original):
        def method(self, key, *args, **kwargs):
            if dict.__contains__(self, MARKER):
                read.add(key)
            return original(self, key, *args, **kwargs)

        return method

    with (
        mock.patch.object(QueryDict, "__getitem__", recording(QueryDict.__getitem__)),
        mock.patch.object(QueryDict, "getlist", recording(QueryDict.getlist)),
        mock.patch.object(QueryDict, "__contains__", recording(QueryDict.__contains__)),
    ):
        yield read


def _short(value: str) -> str:
    return value if len(value) <= 40 else f"{value[:30]}…({len(value)} chars)"


class Walk:
    """A client that records every answer of 500 or more instead of raising."""

    def __init__(self, user=None):
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)
        self.failures = []

    def request(self, method, url, data=None):
        response = getattr(self.client, method)(url, data or {})
        if response.status_code >= 500:
            error = repr(response.exc_info[1])[:160] if response.exc_info else ""
            values = sorted({_short(value) for value in (data or {}).values()})
            self.failures.append(f"{method.upper()} {_short(url)} {values}: {error}")
        return response

    def read(self, method, url, data) -> set[str]:
        """Ask, and return the names of the parameters the page read."""
        with names_read() as read:
            self.request(method, url, {**data, MARKER: "1"})
        return read - {MARKER, "csrfmiddlewaretoken"}

    def fuzz(self, url):
        """GET the page with each hostile value in every parameter at once (the names it
        reads, and those any view reads); POST each hostile value in every field its
        form reads. A view must not stop at the first bad parameter with a 404 (that
        would hide the others): a malformed id is treated as absent."""
        first, *others = HOSTILE
        read = self.read("get", url, dict.fromkeys(PARAMETERS, first))
        # A page that reads no parameter cannot be upset by one (most detail pages).
        for value in others if read else []:
            self.request("get", url, dict.fromkeys(read, value))
        fields = self.read("post", url, dict.fromkeys(PARAMETERS, first))
        if fields:
            for value in HOSTILE:
                self.request("post", url, dict.fromkeys(fields, value))

    def report(self):
        assert not self.failures, f"{len(self.failures)} bad answers:\n" + "\n".join(self.failures)


def _own_records(records, user):
    return {
        **records["mine"],
        "failed_digest": DigestFactory(recipient=user, status=Digest.Status.FAILED),
        "import_job": ImportJobFactory(user=user),
    }


@pytest.mark.parametrize("role", list(User.Role.values))
def test_hostile_parameters_never_crash_a_page(world, role):
    users, records = world
    walk = Walk(users[role])
    mine = _own_records(records, users[role])
    for name, kind in sorted(access_pages.PAGES.items()):
        walk.fuzz(access_world.url_for(name, kind, mine))
    walk.report()


def _url_with(name, value) -> str:
    """The URL ``name`` with ``value`` as its one argument, even where the converter
    would not match it (a hostile slug is the resolver's to refuse). A URL of two ids
    (a campaign's cadre) gets ``value`` as both."""
    try:
        return reverse(name, args=["0"]).replace("/0", "/" + quote(value), 1)
    except NoReverseMatch:
        url = reverse(name, args=["0", "0"])
    return url.replace("/0", "/" + quote(value))


@pytest.mark.parametrize("role", list(User.Role.values))
def test_hostile_path_ids_are_not_found(world, role):
    users, _records = world
    walk = Walk(users[role])
    for name, kind in sorted(access_pages.PAGES.items()):
        if kind is None:
            continue
        values = HOSTILE if kind == "report_slug" else HOSTILE_PATH_IDS
        for value in values:
            url = _url_with(name, value)
            for method in ("get", "post"):
                status = walk.request(method, url).status_code
                if status < 500 and status not in (400, 403, 404):
                    walk.failures.append(f"{method.upper()} {_short(url)}: {status}")
    walk.report()


def test_hostile_parameters_never_crash_the_public_pages(world):
    """The sign-in pages and the calendar feed, which answer without a login."""
    walk = Walk()
    walk.fuzz(reverse("accounts:login"))
    for value in HOSTILE:
        walk.request("get", _url_with("reminders:feed", value))
        for login in (reverse("accounts:login"), reverse("admin:login")):
            walk.request("post", login, {"username": value, "password": value})
    walk.report()


# The admin's own parameters: search, ordering, page, and a filter on a foreign key.
ADMIN_QUERIES = [
    {"q": "\x00"},
    {"o": "abc"},
    {"p": "999999999999999999999999"},
    {"unit__id__exact": "²"},
    {"unit__id__exact": THIRTY_DIGITS},
]


@pytest.mark.parametrize("role", ["superuser", "unit_staff_admin"])
def test_hostile_filters_never_crash_the_admin(request, world, role):
    """Each changelist with the queries above, then each hostile value in its search,
    ordering, page and every one of its filters at once, and (for a superuser) the
    likeliest to crash in each on its own; each change page with a hostile object id."""
    if role == "superuser":
        user = world[0][User.Role.ADMINISTRATOR]
    else:
        user = request.getfixturevalue(role)
    walk = Walk(user)
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = walk.request("get", changelist)
        if response.status_code != 200:
            continue  # not this user's to see
        names = {"q", "o", "p"}
        for spec in response.context["cl"].filter_specs:
            names |= set(spec.expected_parameters())
        for query in ADMIN_QUERIES:
            walk.request("get", changelist, query)
        for value in HOSTILE:
            walk.request("get", changelist, dict.fromkeys(names, value))
        # One bad filter hides the others (the admin stops at it): each on its own too,
        # where every filter is offered.
        for name in sorted(names) if user.is_superuser else []:
            for value in ("\x00", "²", THIRTY_DIGITS):
                walk.request("get", changelist, {name: value})
        for value in (THIRTY_DIGITS, "abc", "\x00"):
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[value])
            walk.request("get", change)
    walk.report()


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_an_activity_time_outside_1900_to_2200_is_a_form_error(world, value):
    """Year 1 in Beijing is year 0 in UTC, which Python cannot hold: checking the
    model's constraints raised OverflowError."""
    users, records = world
    walk = Walk(users[User.Role.UNIT_STAFF])
    activity = records["mine"]["activity"]
    for url in (reverse("activities:new"), reverse("activities:edit", args=[activity.pk])):
        response = walk.request("post", url, {"title": "茶话会", "starts_at": value})
        assert response.status_code == 200, url
        assert "starts_at" in response.context["form"].errors
    walk.report()
