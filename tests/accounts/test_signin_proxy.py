"""Sign-in behind a reverse proxy: failures are counted per username and client address,
the address coming from the trusted proxies' X-Forwarded-For only when proxies are
configured; administrators read the failures, with that address, in admin."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import RequestFactory
from django.urls import reverse

from accounts.client_address import client_ip_address
from accounts.models import User
from tests.factories import UserFactory

PROXY = "10.0.0.2"  # nginx, as the app sees it (REMOTE_ADDR)
CLIENT_A = "203.0.113.5"
CLIENT_B = "198.51.100.7"
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def alice(unit_a):
    return UserFactory(username="alice", unit=unit_a, role=User.Role.UNIT_STAFF)


@pytest.fixture
def behind_nginx(settings):
    settings.YINLING_TRUSTED_PROXY_COUNT = 1
    settings.YINLING_CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.AXES_FAILURE_LIMIT = 5


def sign_in(client, *, password, remote_addr=PROXY, forwarded_for=None):
    """POST the login form as it reaches the app; ``forwarded_for`` is the header the
    proxy passes on (whatever the client sent, then the address nginx saw)."""
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        reverse("accounts:login"), {"username": "alice", "password": password}, **extra
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def test_five_bad_tries_lock_that_address_out_but_not_another(client, alice, behind_nginx):
    for _ in range(5):
        response = sign_in(client, password="wrong", forwarded_for=CLIENT_A)
    assert response.status_code == 429
    # Right password, same address: still locked.
    response = sign_in(client, password=PASSWORD, forwarded_for=CLIENT_A)
    assert response.status_code == 429 and not response.wsgi_request.user.is_authenticated
    # The real user at another address signs in.
    assert signed_in(sign_in(client, password=PASSWORD, forwarded_for=CLIENT_B))
    attempt = AccessAttempt.objects.get(username="alice")
    assert attempt.ip_address == CLIENT_A and attempt.failures_since_start >= 5


def test_a_forged_left_part_of_the_header_does_not_escape_the_lockout(client, alice, behind_nginx):
    # The attacker sends a different X-Forwarded-For each time; nginx appends the address
    # it really saw, and only that one is trusted.
    for n in range(5):
        response = sign_in(client, password="wrong", forwarded_for=f"192.0.2.{n}, {CLIENT_A}")
    assert response.status_code == 429
    response = sign_in(client, password=PASSWORD, forwarded_for=f"{CLIENT_B}, {CLIENT_A}")
    assert response.status_code == 429
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {CLIENT_A}


def test_without_a_trusted_proxy_the_header_is_ignored(client, alice, settings):
    settings.YINLING_TRUSTED_PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 5
    attacker = "192.0.2.66"
    for n in range(5):
        response = sign_in(
            client, password="wrong", remote_addr=attacker, forwarded_for=f"198.51.100.{n}"
        )
    assert response.status_code == 429
    # Spoofing another client's address in the header does not get past the lockout.
    response = sign_in(client, password=PASSWORD, remote_addr=attacker, forwarded_for=CLIENT_B)
    assert response.status_code == 429
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {attacker}


def test_failed_sign_ins_are_read_only_in_admin_with_the_client_address(
    client, alice, behind_nginx, superuser
):
    sign_in(client, password="wrong", forwarded_for=CLIENT_A)
    client.force_login(superuser)
    changelist = client.get(reverse("admin:axes_accessfailurelog_changelist"))
    assert changelist.status_code == 200
    assert "登录失败记录" in changelist.content.decode()  # axes has no Chinese of its own
    assert CLIENT_A in changelist.content.decode() and PROXY not in changelist.content.decode()
    attempts = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200 and CLIENT_A in attempts.content.decode()
    failure = AccessFailureLog.objects.get()
    page = client.get(reverse("admin:axes_accessfailurelog_change", args=[failure.pk]))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:axes_accessfailurelog_add")).status_code == 403
    assert (
        client.post(reverse("admin:axes_accessfailurelog_delete", args=[failure.pk])).status_code
        == 403
    )
    attempt = AccessAttempt.objects.get()
    page = client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk]))
    assert page.status_code == 200 and page.context["has_change_permission"] is False


def test_staff_who_are_not_administrators_do_not_see_sign_in_records(client, unit_a):
    bureau_staff = UserFactory(unit=unit_a, role=User.Role.BUREAU_STAFF, is_staff=True)
    client.force_login(bureau_staff)
    response = client.get(reverse("admin:axes_accessfailurelog_changelist"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("proxies", "header", "meta", "expected"),
    [
        (0, "X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": CLIENT_A}, PROXY),
        (1, "X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": CLIENT_A}, CLIENT_A),
        (1, "X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": f" {CLIENT_B} ,{CLIENT_A} "}, CLIENT_A),
        # Load balancer, then nginx: the load balancer's entry is the client's.
        (
            2,
            "X-Forwarded-For",
            {"HTTP_X_FORWARDED_FOR": f"{CLIENT_B}, {CLIENT_A}, 10.0.0.9"},
            CLIENT_A,
        ),
        # Fewer entries than proxies: not through them, so the connection's address.
        (2, "X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": CLIENT_A}, PROXY),
        (1, "X-Forwarded-For", {}, PROXY),
        (1, "X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
        (1, "X-Real-IP", {"HTTP_X_REAL_IP": CLIENT_B, "HTTP_X_FORWARDED_FOR": CLIENT_A}, CLIENT_B),
        (1, "X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
    ],
)
def test_client_address(settings, proxies, header, meta, expected):
    settings.YINLING_TRUSTED_PROXY_COUNT = proxies
    settings.YINLING_CLIENT_IP_HEADER = header
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **meta)
    assert client_ip_address(request) == expected
