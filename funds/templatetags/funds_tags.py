"""Template helpers of the money: amounts as yuan with fen, and the navbar's menu."""

from decimal import Decimal

from django import template

from ..roles import can_adjust_budget, can_manage_standards, can_read_funds

register = template.Library()


@register.filter
def yuan(value) -> str:
    """1234.5 → "1,234.50" (a negative amount keeps its sign)."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


@register.inclusion_tag("funds/_nav.html", takes_context=True)
def funds_menu(context):
    """The 慰问经费 menu of the navbar, for the roles that handle money."""
    request = context.get("request")
    user = getattr(request, "user", None)
    readable = user is not None and can_read_funds(user=user)
    match = getattr(request, "resolver_match", None)
    return {
        "show": readable,
        "active": bool(match and match.namespace == "funds"),
        "can_manage_standards": readable and can_manage_standards(user=user),
        "can_adjust": readable and can_adjust_budget(user=user),
    }
