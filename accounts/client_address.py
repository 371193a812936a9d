"""The address a sign-in came from, for django-axes (``AXES_CLIENT_IP_CALLABLE``).

Behind a reverse proxy REMOTE_ADDR is the proxy itself: counting failures by it would let
five bad tries lock a user out for everyone, and the sign-in records would never show who
tried. Each trusted proxy appends the address it received the request from to
X-Forwarded-For (nginx: ``$proxy_add_x_forwarded_for``), so with N proxies in front of
the app the client is the N-th address from the right. Everything to the left of it was
sent by the client and may be forged; with no proxy configured the header is ignored.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: from the trusted proxies' header when
    ``YINLING_TRUSTED_PROXY_COUNT`` is set, from the connection otherwise."""
    remote_addr = request.META.get("REMOTE_ADDR") or None
    proxies = settings.YINLING_TRUSTED_PROXY_COUNT
    if proxies < 1:
        return remote_addr
    header = request.META.get(_meta_key(settings.YINLING_CLIENT_IP_HEADER), "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < proxies:
        # Not through the configured proxies (a direct request, or a misconfigured
        # proxy): the connection's own address is the only one that was not chosen by
        # the client.
        return remote_addr
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


def _meta_key(header: str) -> str:
    """``X-Forwarded-For`` → ``HTTP_X_FORWARDED_FOR`` (request.META spelling)."""
    name = header.strip().upper().replace("-", "_")
    return name if name.startswith("HTTP_") else f"HTTP_{name}"
