"""``{% assistance_pending_card %}``: the dashboard's card of 特困帮扶 steps waiting for
the signed-in user (one aggregate query; nothing for those who take no step)."""

from django import template

from assistance.selectors import pending_summary

register = template.Library()


@register.inclusion_tag("assistance/_pending_card.html", takes_context=True)
def assistance_pending_card(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    summary = pending_summary(user=user) if user is not None and user.is_authenticated else None
    return {"summary": summary}
