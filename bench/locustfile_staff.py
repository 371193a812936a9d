"""Locust users for bench/load_staff.py: staff of mixed roles signing in through the login
form, then mostly reading (dashboard, registry searches and filters, cadre pages) and now
and then recording a visit or exporting a few columns of the ledger. Run it through
bench/load_staff.py, which starts the app and prints the figures.

The logins and their password come from the environment (LOAD_LOGINS, "name:weight,…",
and LOAD_PASSWORD); only correct passwords are sent, since the sign-in lockout counts
failures.
"""

import itertools
import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "yinling-demo-2026")
LOGINS = [
    (name, int(weight))
    for name, _, weight in (
        item.partition(":")
        for item in os.environ.get("LOAD_LOGINS", "unit:4,unit02:3,bureau:2,secretary:1").split(",")
    )
]
# Each new simulated user takes the next login of this cycle, so that the mix of roles
# follows the weights whatever the number of users.
_ROTATION = itertools.cycle([name for name, weight in LOGINS for _ in range(weight)])
# Logins that only read (branch secretaries may not record visits).
READ_ONLY = set(os.environ.get("LOAD_READ_ONLY", "secretary").split(","))

CADRE_LINK = re.compile(r'href="/cadres/(\d+)/"')
FILTERS = [
    "?retirement_kind=tuixiu&age_band=80-89",
    "?retirement_kind=tuixiu&age_band=80-89&party_member=yes",
    "?sort=age",
    "?age_band=90-",
]


class Forms(HTMLParser):
    """The fields of each <form> of a page, with the values a browser would send
    unchanged (checked boxes, selected options), and the first real option of a required
    choice left empty, as a user would pick one."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None
        self._select_fields = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "fields": [], "choices": {}})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                form["choices"].setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    form["fields"].append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file", "reset"):
                form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = {
                "name": name,
                "selected": None,
                "first": None,
                "required": "required" in attrs,
            }
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if "selected" in attrs:
                self._select["selected"] = value
            if self._select["first"] is None and value:
                self._select["first"] = value
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"].append((name, ""))

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self.forms:
            select = self._select
            value = select["selected"]
            if value is None or (not value and select["required"]):
                value = select["first"]  # a required choice left at "---------"
            self.forms[-1]["fields"].append((select["name"], value or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field: str) -> dict | None:
    return next(
        (
            form
            for form in forms_of(html)
            if any(name == field for name, _ in form["fields"]) or field in form["choices"]
        ),
        None,
    )


class Staff(HttpUser):
    wait_time = between(1, 4)

    def on_start(self):
        self.login = next(_ROTATION)
        self.cadres: list[str] = []
        page = self.client.get("/accounts/login/", name="login form")
        form = form_with(page.text, "password")
        fields = dict(form["fields"])
        fields.update(username=self.login, password=PASSWORD)
        with self.client.post(
            page.url,  # keeps ?next= if any
            data=fields,
            headers={"Referer": page.url},
            name="sign in",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"sign-in as {self.login} refused")
                raise RuntimeError(f"cannot sign in as {self.login}")
        self.registry()

    def remember_cadres(self, html: str) -> None:
        found = CADRE_LINK.findall(html)
        if found:
            self.cadres = list(dict.fromkeys(found))[:50]

    @task(3)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(4)
    def registry(self):
        response = self.client.get("/cadres/", name="registry")
        self.remember_cadres(response.text)

    @task(3)
    def search(self):
        response = self.client.get("/cadres/?q=zs", name="registry ?q=zs")
        self.remember_cadres(response.text)

    @task(3)
    def filters(self):
        self.client.get(f"/cadres/{random.choice(FILTERS)}", name="registry filters")

    @task(2)
    def page(self):
        self.client.get(f"/cadres/?page={random.randint(2, 50)}", name="registry ?page=N")

    @task(5)
    def cadre_page(self):
        if self.cadres:
            self.client.get(f"/cadres/{random.choice(self.cadres)}/", name="cadre page")

    @task(1)
    def record_visit(self):
        if self.login in READ_ONLY or not self.cadres:
            return
        cadre = random.choice(self.cadres)
        url = f"/cadres/visits/new/?cadre={cadre}"
        page = self.client.get(url, name="visit form")
        form = form_with(page.text, "visited_on")
        if form is None:
            return
        fields = [(name, value) for name, value in form["fields"] if name != "notes"]
        fields.append(("notes", "load test"))
        with self.client.post(
            url,
            data=fields,
            headers={"Referer": page.url},
            name="record visit",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            # Saved: a redirect to the cadre's page; the form again means it was refused.
            if response.status_code != 302:
                response.failure(f"visit not recorded (HTTP {response.status_code})")

    @task(1)
    def export(self):
        if self.login in READ_ONLY:
            return
        # The registry's filters carry over to the export, as from the registry's button.
        url = f"/dashboard/exports/cadres/{FILTERS[0]}"
        page = self.client.get(url, name="export form")
        form = form_with(page.text, "columns")
        columns = form["choices"].get("columns", [])[:3] if form else []
        token = dict(form["fields"]).get("csrfmiddlewaretoken") if form else None
        if not columns or not token:
            return
        with self.client.post(
            url,
            data=[("csrfmiddlewaretoken", token), *(("columns", c) for c in columns)],
            headers={"Referer": page.url},
            name="export (3 columns)",
            catch_response=True,
        ) as response:
            kind = response.headers.get("Content-Type", "")
            if response.status_code != 200 or "spreadsheet" not in kind:
                response.failure(f"no spreadsheet (HTTP {response.status_code}, {kind})")


@events.quitting.add_listener
def _exit_code(environment, **_kwargs):
    if environment.stats.total.num_failures or environment.runner.errors:
        environment.process_exit_code = 1
