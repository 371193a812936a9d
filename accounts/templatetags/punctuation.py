"""Punctuation in the page's language (accounts/punctuation.py): ``{% colon %}``,
``{% comma %}``, ``{% list_comma %}``, ``{% parenthesized %}…{% endparenthesized %}``
and ``{{ names|join_list }}``."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from accounts import punctuation

register = template.Library()


@register.simple_tag
def colon() -> str:
    return punctuation.colon()


@register.simple_tag
def comma() -> str:
    return punctuation.comma()


@register.simple_tag
def list_comma() -> str:
    return punctuation.list_comma()


@register.filter(needs_autoescape=True)
def join_list(items, autoescape=True) -> str:
    """Join with the list comma, escaping each item (as ``join`` does)."""
    escape = conditional_escape if autoescape else str
    return mark_safe(punctuation.list_comma().join(escape(item) for item in items))


@register.tag
def parenthesized(parser, token):
    """``{% parenthesized %}{% translate "since" %} {{ day }}{% endparenthesized %}``:
    the rendered content (already escaped) in the language's parentheses."""
    nodelist = parser.parse(("endparenthesized",))
    parser.delete_first_token()
    return ParenthesizedNode(nodelist)


class ParenthesizedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        inner = self.nodelist.render(context).strip()
        # The rendered content is safe HTML; the marks themselves need no escaping.
        return mark_safe(punctuation.parenthesized(inner))
