"""The audit trail as people read it: who changed a record, when, and which fields from
what to what. The rows come from django-simple-history (every registry model keeps one,
and ``HistoryRequestMiddleware`` stamps the signed-in user on changes made through the
site); this module turns them into entries for a record's history tab, for any app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Bookkeeping columns that are not the record's content.
SKIPPED = {"id", "name_pinyin", "name_initials", "updated_at", "created_at"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: Any
    user: Any
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def history_entries(
    *,
    instance: models.Model,
    limit: int = 200,
    masks: dict[str, Callable[[str], str]] | None = None,
) -> list[HistoryEntry]:
    """The newest ``limit`` changes of ``instance``, newest first, in two queries (the
    history rows with their users, and the names behind changed foreign keys). ``masks``
    hides a field's values from readers who may not see them (the ID number for unit
    staff)."""
    masks = masks or {}
    rows = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    kept = {f.name for f in instance.history.model._meta.concrete_fields}
    fields = [
        f
        for f in instance._meta.concrete_fields
        if f.name not in SKIPPED and f.name in kept and not isinstance(f, models.FileField)
    ]
    pairs = []
    for newer, older in zip(rows, [*rows[1:], None][: len(rows)], strict=True):
        if len(pairs) == limit:
            break
        changed = [
            f
            for f in fields
            if (older is None and getattr(newer, f.attname) not in (None, ""))
            or (older is not None and getattr(newer, f.attname) != getattr(older, f.attname))
        ]
        pairs.append((newer, older, changed))
    names = _related_names(pairs)
    entries = []
    for newer, older, changed in pairs:
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                user=newer.history_user,
                action=ACTIONS.get(newer.history_type, newer.history_type),
                reason=newer.history_change_reason or "",
                changes=[
                    FieldChange(
                        label=str(f.verbose_name),
                        old=_shown(f, older, names, masks) if older is not None else "",
                        new=_shown(f, newer, names, masks),
                    )
                    for f in changed
                ],
            )
        )
    return entries


def _related_names(pairs) -> dict[tuple[type, Any], str]:
    """The display names of every foreign key value that appears in a change, one query
    per related model."""
    wanted: dict[type, set] = {}
    for newer, older, changed in pairs:
        for f in changed:
            if f.is_relation:
                for row in (newer, older):
                    value = getattr(row, f.attname) if row is not None else None
                    if value is not None:
                        wanted.setdefault(f.related_model, set()).add(value)
    names = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj)
    return names


def _shown(f, row, names, masks) -> str:
    value = getattr(row, f.attname)
    if value is None or value == "":
        return "—"
    if f.name in masks:
        return masks[f.name](str(value))
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)
