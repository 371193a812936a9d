"""Template helpers of the money: amounts as yuan with fen, and the navbar's menu."""

from decimal import Decimal

from django import template

from ..roles import can_manage_standards, can_read_funds

register = template.Library()


@register.filter
def yuan(value) -> str:
    """1234.5 → "1,234.50" (a negative amount keeps its sign)."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


@register.inclusion_tag("funds/_nav.html", takes_context=True)
def funds_menu(context, part: str):
    """The navbar's links to the money, for the roles that handle it: the budgets and
    expenses (``part="care"``, under visits and care) or the reports (``"reports"``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    readable = user is not None and can_read_funds(user=user)
    return {
        "show": readable,
        "part": part,
        "can_manage_standards": readable and can_manage_standards(user=user),
    }
