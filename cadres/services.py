"""Writes to the registry. Each service validates the record in full, runs in one
transaction, and leaves an entry in the record's history (django-simple-history)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.scoping import can_see_id_numbers

from .models import (
    Cadre,
    CadreStatus,
    CareNeed,
    FamilyContact,
    IdNumberDisclosure,
    Visit,
    VisitOccasion,
)
from .pinyin import name_pinyin
from .validators import normalize_resident_id


def cadre_apply_search_names(*, cadre: Cadre) -> Cadre:
    """Fill the pinyin forms the registry search uses from the cadre's name."""
    cadre.name = (cadre.name or "").strip()
    cadre.name_pinyin, cadre.name_initials = name_pinyin(cadre.name)
    return cadre


def cadre_prepare_for_save(*, cadre: Cadre) -> Cadre:
    """Derived fields: pinyin search names, and the date the health status changed
    (reminders count a hospital stay from it)."""
    cadre_apply_search_names(cadre=cadre)
    previous = (
        Cadre.objects.filter(pk=cadre.pk).values_list("health", "health_changed_on").first()
        if cadre.pk
        else None
    )
    previous_health, previous_since = previous or (None, None)
    # Today, unless the user entered the date themselves along with the change.
    if previous_health != cadre.health and cadre.health_changed_on == previous_since:
        cadre.health_changed_on = timezone.localdate()
    return cadre


def _save(cadre: Cadre, by: User | None) -> Cadre:
    cadre.id_number = normalize_resident_id(cadre.id_number)
    cadre_prepare_for_save(cadre=cadre)
    cadre.full_clean()
    if by is not None:
        cadre._history_user = by
    cadre.save()
    return cadre


@transaction.atomic
def cadre_create(*, by: User | None = None, **fields: Any) -> Cadre:
    """Register a cadre. Raises ``ValidationError`` (messages in the active language)
    for a bad ID number, inconsistent dates or a duplicate."""
    return _save(Cadre(**fields), by)


@transaction.atomic
def cadre_update(*, cadre: Cadre, by: User | None = None, **fields: Any) -> Cadre:
    """Change the given fields of a cadre, re-validating the whole record."""
    for name, value in fields.items():
        setattr(cadre, name, value)
    return _save(cadre, by)


@transaction.atomic
def visit_record(*, by: User, cadre: Cadre, visitors: Iterable[User] = (), **fields: Any) -> Visit:
    """Record a visit (done, or planned with a due date) with its visiting staff."""
    visit = Visit(cadre=cadre, recorded_by=by, **fields)
    visit.full_clean()
    visit._history_user = by
    visit.save()
    visit.visitors.set(list(visitors) or [by])
    return visit


@transaction.atomic
def cadre_mark_deceased(*, cadre: Cadre, died_on: datetime.date, by: User) -> Visit:
    """Record a death: the cadre leaves every reminder, and a condolence visit to the
    family is planned (五必访), due three days after the news."""
    cadre_update(cadre=cadre, by=by, status=CadreStatus.DECEASED, died_on=died_on)
    cadre.visits.filter(status=Visit.Status.PLANNED).exclude(occasion__code="condolence").update(
        status=Visit.Status.CANCELLED
    )
    return visit_record(
        by=by,
        cadre=cadre,
        occasion=VisitOccasion.objects.get(code="condolence"),
        status=Visit.Status.PLANNED,
        due_on=max(died_on, timezone.localdate()) + datetime.timedelta(days=3),
        mode=Visit.Mode.HOME,
        notes="慰问家属。",
    )


@transaction.atomic
def cadre_transfer_out(
    *, cadre: Cadre, transferred_on: datetime.date, transferred_to: str, by: User
) -> Cadre:
    """Transfer a cadre out of the register (reminders stop; the record stays)."""
    cadre_update(
        cadre=cadre,
        by=by,
        status=CadreStatus.TRANSFERRED,
        transferred_on=transferred_on,
        transferred_to=transferred_to,
    )
    cadre.visits.filter(status=Visit.Status.PLANNED).update(status=Visit.Status.CANCELLED)
    return cadre


@transaction.atomic
def care_need_raise(*, by: User, cadre: Cadre, **fields: Any) -> CareNeed:
    """Record a request or need (来信来访); every one gets an answer (有访必复)."""
    need = CareNeed(cadre=cadre, **fields)
    if need.assignee_id and need.status == CareNeed.Status.OPEN:
        need.status = CareNeed.Status.IN_PROGRESS
    return _save_need(need, by)


def _save_need(need: CareNeed, by: User) -> CareNeed:
    need.full_clean()
    need._history_user = by
    need.save()
    return need


@transaction.atomic
def care_need_assign(*, need: CareNeed, assignee: User, by: User) -> CareNeed:
    need.assignee = assignee
    need.status = CareNeed.Status.IN_PROGRESS
    return _save_need(need, by)


@transaction.atomic
def care_need_resolve(
    *, need: CareNeed, resolution: str, resolved_on: datetime.date, by: User
) -> CareNeed:
    """Close a need with the reply given to the cadre."""
    need.status = CareNeed.Status.RESOLVED
    need.resolution = resolution
    need.resolved_on = resolved_on
    return _save_need(need, by)


@transaction.atomic
def visits_record_group(*, by: User, cadres: Iterable[Cadre], **fields: Any) -> list[Visit]:
    """One group event (a festival gathering, a group call) recorded as a visit to each
    cadre who took part; all or nothing."""
    fields.setdefault("mode", Visit.Mode.GROUP)
    return [visit_record(by=by, cadre=cadre, **fields) for cadre in cadres]


@transaction.atomic
def id_number_disclose(*, cadre: Cadre, by: User, client_address: str | None = None) -> str:
    """The full resident ID number, for a user whose role may see it; each call is
    logged (who, whom, when, from where). Others get ``PermissionDenied``."""
    if not can_see_id_numbers(user=by):
        raise PermissionDenied
    IdNumberDisclosure.objects.create(user=by, cadre=cadre, client_address=client_address)
    return cadre.id_number


def _save_contact(contact: FamilyContact, by: User | None) -> FamilyContact:
    contact.name = (contact.name or "").strip()
    contact.full_clean()
    if by is not None:
        contact._history_user = by
    contact.save()
    return contact


@transaction.atomic
def family_contact_add(*, cadre: Cadre, by: User | None = None, **fields: Any) -> FamilyContact:
    """Add a family member or emergency contact (家属) to a cadre's record."""
    return _save_contact(FamilyContact(cadre=cadre, **fields), by)


@transaction.atomic
def family_contact_update(
    *, contact: FamilyContact, by: User | None = None, **fields: Any
) -> FamilyContact:
    """Change the given fields of a family contact, re-validating it."""
    for name, value in fields.items():
        setattr(contact, name, value)
    return _save_contact(contact, by)


@transaction.atomic
def family_contact_remove(*, contact: FamilyContact, by: User | None = None) -> None:
    """Remove a family contact from the record. The contact's history keeps it, with
    who removed it and when."""
    if by is not None:
        contact._history_user = by
    contact.delete()
