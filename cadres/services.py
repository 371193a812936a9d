"""Writes to the register: registering and correcting a cadre (with the pinyin search
names and the date the health status changed), recording a death or a transfer out (which
settles the cadre's planned visits), showing a full ID number on the record, and the
cadre's family contacts. Each service validates the record in full, runs in one
transaction, and leaves an entry in the record's history (django-simple-history). Visits
are written in ``visit_services``, care needs in ``need_services``."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import can_see_id_numbers

from .models import (
    Cadre,
    CadreStatus,
    FamilyContact,
    IdNumberDisclosure,
    Visit,
    VisitOccasion,
)
from .pinyin import name_pinyin
from .validators import normalize_resident_id
from .visit_services import CONDOLENCE, _visit_create, visit_cancel


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
def cadre_mark_deceased(*, cadre: Cadre, died_on: datetime.date, by: User) -> Visit:
    """Record a death: the cadre leaves every reminder, and a condolence visit to the
    family is planned (五必访), due three days after the news."""
    cadre_update(cadre=cadre, by=by, status=CadreStatus.DECEASED, died_on=died_on)
    planned = cadre.visits.filter(status=Visit.Status.PLANNED).select_related("occasion")
    for visit in planned.exclude(occasion__code=CONDOLENCE):
        visit_cancel(visit=visit, by=by, reason=_("The cadre has died."))
    existing = planned.filter(occasion__code=CONDOLENCE).first()
    if existing is not None:
        return existing
    return _visit_create(
        by=by,
        cadre=cadre,
        reason=_("Condolence visit planned after the death"),
        occasion=VisitOccasion.objects.get(code=CONDOLENCE),
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
    for visit in cadre.visits.filter(status=Visit.Status.PLANNED):
        visit_cancel(visit=visit, by=by, reason=_("The cadre has been transferred out."))
    return cadre


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
