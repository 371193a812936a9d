"""The register itself: the retired cadre (离退休干部), with the checks that keep a
record consistent (the ID number against the date of birth and gender, 离休 against the
date of birth, the dates of death and transfer against the status) and the lookups by ID
number through keyed hashes."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Unit

from ..encryption import EncryptedTextField, LookupHashField
from ..ethnicities import Ethnicity
from ..validators import (
    mask_resident_id,
    normalize_resident_id,
    resident_id_birth_date,
    resident_id_is_male,
    validate_resident_id,
)
from .choices import (
    CadreStatus,
    ChoiceLabels,
    Gender,
    Hardship,
    Health,
    LivingSituation,
    PoliticalStatus,
    Rank,
    RetirementKind,
)

WELL_FORMED_ID = re.compile(r"[0-9]{17}[0-9X]")
# 离休 is for those who joined the revolution before 1 October 1949, at fourteen at least.
LATEST_LIXIU_BIRTH_DATE = datetime.date(1935, 12, 31)
# The lunar calendar of the reminders (reminders/calendar.py) starts on 庚子年正月初一:
# a lunar birthday cannot be worked out for anyone born before it.
EARLIEST_LUNAR_BIRTH_DATE = datetime.date(1900, 1, 31)


class CadreQuerySet(models.QuerySet):
    def with_id_number(self, number: str) -> CadreQuerySet:
        """The cadre with this resident ID number (found by its keyed hash)."""
        field = self.model._meta.get_field("id_number_hash")
        return self.filter(id_number_hash=field.hash_of(normalize_resident_id(number)))

    def with_id_numbers(self, numbers) -> CadreQuerySet:
        field = self.model._meta.get_field("id_number_hash")
        return self.filter(
            id_number_hash__in=[field.hash_of(normalize_resident_id(n)) for n in numbers if n]
        )

    def with_id_tail(self, tail: str) -> CadreQuerySet:
        """Cadres whose ID number ends with these four characters."""
        field = self.model._meta.get_field("id_number_tail_hash")
        return self.filter(id_number_tail_hash=field.hash_of(tail.upper()))


class Cadre(ChoiceLabels, models.Model):
    """A retired cadre (离退休干部) on the bureau's register (台账).

    The fields follow 六清楚: basic facts, health, living difficulties, hobbies and
    specialties, learning and activities, current needs. Records are never deleted: a
    death or a transfer changes ``status``.
    """

    # Identity
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    name_pinyin = models.CharField(
        _("name in pinyin"), max_length=200, db_index=True, editable=False
    )
    name_initials = models.CharField(
        _("pinyin initials"), max_length=50, db_index=True, editable=False
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=2, choices=Ethnicity.choices, default=Ethnicity.E01
    )
    birth_date = models.DateField(_("date of birth"), db_index=True)
    celebrates_lunar_birthday = models.BooleanField(
        _("celebrates the lunar birthday"),
        default=False,
        help_text=_("Many elderly people count their birthday by the lunar calendar."),
    )
    # Stored encrypted; found and kept unique through keyed hashes of the whole number and
    # of its last four characters (the registry's "ID tail" search).
    id_number = EncryptedTextField(
        _("resident ID number"), max_length=18, validators=[validate_resident_id]
    )
    id_number_hash = LookupHashField(source="id_number", unique=True)
    id_number_tail_hash = LookupHashField(source="id_number", tail=4, db_index=True)
    photo = models.ImageField(_("photo"), upload_to="cadres/photos/%Y/", blank=True)

    # Retirement
    retirement_kind = models.CharField(
        _("retirement kind"), max_length=10, choices=RetirementKind.choices
    )
    retirement_date = models.DateField(_("retirement date"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit (pension relationship)"),
        on_delete=models.PROTECT,
        related_name="cadres",
        help_text=_("The unit responsible for the cadre's day-to-day care (供养关系所在单位)."),
    )
    former_employer = models.CharField(_("former employer"), max_length=100, blank=True)
    former_post = models.CharField(_("former post"), max_length=100, blank=True)
    rank = models.CharField(
        _("former rank"), max_length=20, choices=Rank.choices, blank=True, db_index=True
    )

    # Politics
    political_status = models.CharField(
        _("political status"),
        max_length=12,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.MASSES,
    )
    party_joined_on = models.DateField(
        _("date joined the Party"),
        null=True,
        blank=True,
        help_text=_("Its anniversary is the cadre's political birthday."),
    )

    # Contact (五知道: where they live)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("home address"), max_length=200, blank=True)
    residential_community = models.CharField(
        _("residential community"), max_length=100, blank=True, db_index=True
    )

    # Care (六清楚)
    health = models.CharField(
        _("health"), max_length=12, choices=Health.choices, default=Health.GOOD
    )
    health_changed_on = models.DateField(
        _("health status since"),
        null=True,
        blank=True,
        help_text=_("When the health status last changed (for example, admitted to hospital)."),
    )
    health_notes = models.TextField(_("health notes"), blank=True)
    living_situation = models.CharField(
        _("living situation"),
        max_length=12,
        choices=LivingSituation.choices,
        default=LivingSituation.WITH_FAMILY,
    )
    hardship = models.CharField(
        _("hardship"), max_length=12, choices=Hardship.choices, default=Hardship.NONE
    )
    hardship_notes = models.TextField(_("hardship notes"), blank=True)
    hobbies = models.TextField(_("hobbies and specialties"), blank=True)
    learning_activities = models.TextField(_("learning and activities"), blank=True)
    current_needs = models.TextField(_("current needs"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_cadres",
        help_text=_("The staff member responsible for one-to-one contact (一对一联系)."),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre",
        help_text=_("For a cadre who signs in, for example as a branch secretary."),
    )

    # Status: never hard-deleted
    status = models.CharField(
        _("status"), max_length=12, choices=CadreStatus.choices, default=CadreStatus.ON_REGISTER
    )
    died_on = models.DateField(_("date of death"), null=True, blank=True)
    transferred_on = models.DateField(_("date transferred out"), null=True, blank=True)
    transferred_to = models.CharField(_("transferred to"), max_length=100, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["id_number_hash", "id_number_tail_hash"])

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("retired cadre")
        verbose_name_plural = _("retired cadres")
        ordering = ["name_pinyin", "id"]
        indexes = [
            # A unit's cadres; its list in name order, a page of it found from the index
            # alone.
            models.Index(
                fields=["unit", "status", "name_pinyin", "id"], name="cadre_unit_status_name_idx"
            ),
            # Birthdays and age bands; a band counted by retirement kind and party
            # membership (the registry's filters, the statistics) from the index alone.
            models.Index(
                fields=["status", "birth_date", "retirement_kind", "political_status"],
                name="cadre_status_birth_idx",
            ),
            models.Index(fields=["status", "retirement_kind"], name="cadre_status_kind_idx"),
            models.Index(fields=["status", "political_status"], name="cadre_status_party_idx"),
            models.Index(fields=["status", "health"], name="cadre_status_health_idx"),
            models.Index(fields=["status", "living_situation"], name="cadre_status_living_idx"),
            models.Index(fields=["status", "hardship"], name="cadre_status_hardship_idx"),
            # The registry's community filter (四就近), counted from the index alone. The
            # community first: led by the status, SQLite would take it for the unfiltered
            # list too, and sort the whole register rather than walk it in name order.
            models.Index(
                fields=["residential_community", "status"], name="cadre_community_status_idx"
            ),
            # The registry's default order (a page found from the index alone), and its
            # pinyin searches.
            models.Index(fields=["status", "name_pinyin", "id"], name="cadre_status_name_idx"),
            models.Index(fields=["status", "name_initials"], name="cadre_status_initials_idx"),
            # The communities of a unit's cadres (the registry's filter), from the index.
            models.Index(fields=["unit", "residential_community"], name="cadre_unit_community_idx"),
            # The dashboard: records changed since its daily snapshot.
            models.Index(fields=["updated_at"], name="cadre_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="deceased", died_on__isnull=False)
                | (~Q(status="deceased") & Q(died_on__isnull=True)),
                name="cadre_died_on_iff_deceased",
            ),
            models.CheckConstraint(
                condition=Q(status="transferred", transferred_on__isnull=False)
                | (~Q(status="transferred") & Q(transferred_on__isnull=True)),
                name="cadre_transferred_on_iff_transferred",
            ),
            models.CheckConstraint(
                condition=Q(party_joined_on__isnull=True) | Q(political_status="cpc"),
                name="cadre_party_date_only_for_members",
            ),
            models.CheckConstraint(
                condition=Q(party_joined_on__isnull=True)
                | Q(party_joined_on__gt=models.F("birth_date")),
                name="cadre_party_date_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(retirement_date__isnull=True)
                | Q(retirement_date__gt=models.F("birth_date")),
                name="cadre_retired_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cadres:detail", args=[self.pk])

    @staticmethod
    def detail_urls():
        """``get_absolute_url`` for many cadres: a function of the key, reversed once
        (a list page draws a hundred such links, which differ only in the key)."""
        marker = 987654321
        head, tail = reverse("cadres:detail", args=[marker]).split(str(marker))
        return lambda pk: f"{head}{pk}{tail}"

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.id_number)

    @property
    def is_party_member(self) -> bool:
        return self.political_status == PoliticalStatus.CPC_MEMBER

    def age_on(self, day) -> int:
        return (
            day.year
            - self.birth_date.year
            - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        )

    def validate_unique(self, exclude=None):
        """The ID number is unique through its hash, which a form does not carry: check
        the number itself, as Django would check a unique field."""
        errors: dict[str, list] = {}
        try:
            super().validate_unique(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if (
            "id_number" not in (exclude or ())
            and self.id_number
            and Cadre.objects.with_id_number(self.id_number).exclude(pk=self.pk).exists()
        ):
            errors.setdefault("id_number", []).append(
                ValidationError(
                    _("A cadre with this resident ID number already exists."), code="unique"
                )
            )
        if errors:
            raise ValidationError(errors)

    def clean(self):
        """Cross-field checks, each reported on its field in Chinese."""
        errors: dict[str, list] = {}
        today = timezone.localdate()
        if self.id_number:
            self.id_number = normalize_resident_id(self.id_number)
        # Only a well-formed number is compared (a masked one, from an exported ledger, is
        # reported by the field's validator).
        if self.id_number and self.birth_date and WELL_FORMED_ID.fullmatch(self.id_number):
            try:
                id_birth = resident_id_birth_date(self.id_number)
            except Exception:  # the field validator reports a malformed number
                id_birth = None
            if id_birth and id_birth != self.birth_date:
                errors.setdefault("birth_date", []).append(
                    _("The date of birth does not match the resident ID number (%(date)s).")
                    % {"date": id_birth.isoformat()}
                )
            if self.gender and resident_id_is_male(self.id_number) != (self.gender == Gender.MALE):
                errors.setdefault("gender", []).append(
                    _("The gender does not match the resident ID number.")
                )
        if self.birth_date and self.birth_date > today:
            errors.setdefault("birth_date", []).append(_("The date of birth is in the future."))
        if (
            self.celebrates_lunar_birthday
            and self.birth_date
            and self.birth_date < EARLIEST_LUNAR_BIRTH_DATE
        ):
            errors.setdefault("celebrates_lunar_birthday", []).append(
                _(
                    "A lunar birthday can be worked out only for a date of birth from "
                    "31 January 1900 (the first day of lunar 1900): count this cadre's "
                    "birthday by the solar calendar."
                )
            )
        for field in ("retirement_date", "party_joined_on", "died_on", "transferred_on"):
            value = getattr(self, field)
            if value and self.birth_date and value <= self.birth_date:
                errors.setdefault(field, []).append(_("This date is before the date of birth."))
            if value and value > today:
                errors.setdefault(field, []).append(_("This date is in the future."))
        if (
            self.retirement_kind == RetirementKind.LIXIU
            and self.birth_date
            and self.birth_date > LATEST_LIXIU_BIRTH_DATE
        ):
            errors.setdefault("retirement_kind", []).append(
                _(
                    "Lixiu cadres joined the revolution before October 1949: "
                    "check the date of birth."
                )
            )
        if self.party_joined_on and self.political_status != PoliticalStatus.CPC_MEMBER:
            errors.setdefault("party_joined_on", []).append(
                _("Only a CPC member has a date of joining the Party.")
            )
        if self.status == CadreStatus.DECEASED and not self.died_on:
            errors.setdefault("died_on", []).append(_("Enter the date of death."))
        if self.status != CadreStatus.DECEASED and self.died_on:
            errors.setdefault("status", []).append(
                _("A date of death is given: set the status to deceased.")
            )
        if self.status == CadreStatus.TRANSFERRED and not self.transferred_on:
            errors.setdefault("transferred_on", []).append(_("Enter the date of the transfer."))
        if self.status != CadreStatus.TRANSFERRED and self.transferred_on:
            errors.setdefault("status", []).append(
                _("A transfer date is given: set the status to transferred out.")
            )
        if errors:
            raise ValidationError(errors)
