"""Duplicate detection at entry (录入查重): is the cadre being entered already on the
registry?

Two checks, made by the cadre forms of the staff site and of admin alike
(``forms.CadreEntryForm``):

- the same resident ID number is refused;
- the same name and date of birth as a cadre of any status is a warning that needs an
  explicit confirmation ("确认不是同一人，仍然保存").

Matches are read across the whole registry — a retiree registered by another unit is
still a duplicate — but described by what the user may see: a cadre of the user's
scope is named, with its unit, status and a link; one outside it only as "already in the
registry, outside your scope", never by name or unit.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Case, QuerySet, Value, When
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.punctuation import comma, list_comma, parenthesized
from accounts.scoping import scope_filter

from .models import Cadre


@dataclass
class RegistryMatches:
    """Cadres on the registry that match a record being entered: those the user may
    see, and how many others there are."""

    visible: list[Cadre] = field(default_factory=list)
    hidden: int = 0

    def __bool__(self) -> bool:
        return bool(self.visible or self.hidden)


def folded_name(name: str | None) -> str:
    """A name for comparison: full-width forms made half-width, no spaces ("张 三" is
    "张三")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def _split_by_scope(queryset: QuerySet[Cadre], *, user: User | None) -> list[Cadre]:
    """The cadres of ``queryset``, each with ``in_scope`` (may ``user`` see it?), in
    one query however many match."""
    condition = scope_filter(user=user, unit_path="unit", cadre_path="") if user else None
    if user is None:
        in_scope = Value(False)
    elif not condition:  # the user sees every unit
        in_scope = Value(True)
    else:
        in_scope = Case(When(condition, then=Value(True)), default=Value(False))
    return list(
        queryset.select_related("unit")
        .only("pk", "name", "status", "birth_date", "unit__name")
        .annotate(in_scope=in_scope)
        .order_by("pk")
    )


def _matches(cadres: list[Cadre]) -> RegistryMatches:
    return RegistryMatches(
        visible=[cadre for cadre in cadres if cadre.in_scope],
        hidden=sum(1 for cadre in cadres if not cadre.in_scope),
    )


def id_number_matches(
    *, user: User | None, number: str, exclude_pk: int | None = None
) -> RegistryMatches:
    """The cadre (there is one at most) already registered with this ID number."""
    queryset = Cadre.objects.with_id_number(number)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return _matches(_split_by_scope(queryset, user=user))


def namesakes(
    *,
    user: User | None,
    name: str,
    birth_date: datetime.date,
    exclude_pk: int | None = None,
) -> RegistryMatches:
    """Cadres of any status with the same name (spaces and full-width forms aside) and
    the same date of birth. Read by the indexed date of birth, the names compared here:
    a date of birth is shared by a handful of cadres even in a large registry."""
    queryset = Cadre.objects.filter(birth_date=birth_date)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    wanted = folded_name(name)
    found = _split_by_scope(queryset, user=user)
    return _matches([cadre for cadre in found if folded_name(cadre.name) == wanted])


def describe(cadre: Cadre) -> SafeString:
    """A cadre of the user's scope, named: its name (a link to its page), unit and status."""
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>{}',
        cadre.get_absolute_url(),
        cadre.name,
        parenthesized(f"{cadre.unit.name}{comma()}{cadre.get_status_display()}"),
    )


def id_number_refusal(matches: RegistryMatches) -> SafeString:
    """Why the ID number is refused, in the user's terms."""
    if matches.visible:
        return format_html(
            _("This resident ID number is already registered: {cadre}."),
            cadre=describe(matches.visible[0]),
        )
    return format_html(
        "{}",
        _(
            "This resident ID number is already in the registry, in a unit outside your "
            "scope. Ask the retired-cadre bureau to check the record."
        ),
    )


def namesake_warning(matches: RegistryMatches) -> list[SafeString]:
    """The warning about cadres with the same name and date of birth, one line each for
    those the user may see and for those outside their scope."""
    lines = []
    if matches.visible:
        lines.append(
            format_html(
                _("A cadre with the same name and date of birth is already registered: {cadres}."),
                cadres=format_html_join(
                    list_comma(), "{}", ((describe(c),) for c in matches.visible)
                ),
            )
        )
    if matches.hidden:
        lines.append(
            format_html(
                "{}",
                _(
                    "A cadre with the same name and date of birth is already in the registry "
                    "(outside your scope)."
                ),
            )
        )
    return lines
