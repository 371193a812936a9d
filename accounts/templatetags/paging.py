"""Template tags of the shared page parts (templates/includes/)."""

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def page_querystring(context, param: str, number: int) -> str:
    """Django's ``{% querystring %}`` setting a parameter whose name is a variable: a
    page with two paginated lists gives each its own page parameter."""
    return querystring(context, **{param: number})
