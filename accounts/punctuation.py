"""Punctuation in the page's language: Chinese text takes full-width marks (：，、（）),
English the ASCII ones with their spaces. Each mark is a translation (context
"punctuation") of its English form, so the language of the request decides, as for words.
For templates: ``{% load punctuation %}`` (accounts/templatetags/punctuation.py)."""

from collections.abc import Iterable

from django.utils.translation import pgettext


def colon() -> str:
    """Between a label and what it labels: "：" / ": "."""
    return pgettext("punctuation", ": ")


def comma() -> str:
    """Between two clauses: "，" / ", "."""
    return pgettext("punctuation", ", ")


def list_comma() -> str:
    """Between the items of a list of names: "、" / ", "."""
    return pgettext("list of items", ", ")


def parenthesized(text: object) -> str:
    """An aside after what it is about: "（text）" / " (text)"."""
    return pgettext("punctuation", " (%(text)s)") % {"text": text}


def join_list(items: Iterable[object]) -> str:
    """Names in a row: "张三、李四" / "张三, 李四"."""
    return list_comma().join(str(item) for item in items)
