from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Unit
from accounts.punctuation import parenthesized

from .encryption import EncryptedTextField, LookupHashField
from .ethnicities import Ethnicity
from .validators import (
    mask_resident_id,
    normalize_resident_id,
    resident_id_birth_date,
    resident_id_is_male,
    validate_resident_id,
)

WELL_FORMED_ID = re.compile(r"[0-9]{17}[0-9X]")
# 离休 is for those who joined the revolution before 1 October 1949, at fourteen at least.
LATEST_LIXIU_BIRTH_DATE = datetime.date(1935, 12, 31)
# The lunar calendar of the reminders (reminders/calendar.py) starts on 庚子年正月初一:
# a lunar birthday cannot be worked out for anyone born before it.
EARLIEST_LUNAR_BIRTH_DATE = datetime.date(1900, 1, 31)


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class RetirementKind(models.TextChoices):
    """离休 (joined the revolution before October 1949) or 退休 (ordinary retirement)."""

    LIXIU = "lixiu", _("Lixiu (pre-1949 veteran)")
    TUIXIU = "tuixiu", _("Tuixiu (retired)")


class Rank(models.TextChoices):
    """原职级: the civil-service grade held on retirement."""

    PROVINCIAL = "provincial", _("Provincial or ministerial level")
    BUREAU_CHIEF = "bureau_chief", _("Department or bureau chief")
    BUREAU_DEPUTY = "bureau_deputy", _("Department or bureau deputy")
    COUNTY_CHIEF = "county_chief", _("County or division chief")
    COUNTY_DEPUTY = "county_deputy", _("County or division deputy")
    SECTION_CHIEF = "section_chief", _("Section chief")
    SECTION_DEPUTY = "section_deputy", _("Section deputy")
    CLERK = "clerk", _("Clerk")
    OTHER = "other", _("Other")


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc", _("CPC member")
    DEMOCRATIC_PARTY = "democratic", _("Democratic party member")
    MASSES = "masses", _("Non-party")


class Health(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")
    BEDRIDDEN = "bedridden", _("Bedridden")
    IN_HOSPITAL = "hospital", _("In hospital")


class LivingSituation(models.TextChoices):
    WITH_FAMILY = "family", _("Lives with family")
    EMPTY_NEST = "empty_nest", _("Empty nest (couple alone)")
    ALONE = "alone", _("Lives alone")
    CARE_HOME = "care_home", _("In a care home")


class Hardship(models.TextChoices):
    NONE = "none", _("None")
    DIFFICULT = "difficult", _("Living difficulties")
    EXTREME = "extreme", _("Extreme hardship")


class CadreStatus(models.TextChoices):
    ON_REGISTER = "active", _("On the register")
    DECEASED = "deceased", _("Deceased")
    TRANSFERRED = "transferred", _("Transferred out")


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


class Cadre(models.Model):
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
            models.Index(fields=["status", "unit"], name="cadre_status_unit_idx"),
            models.Index(fields=["status", "birth_date"], name="cadre_status_birth_idx"),
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
            # The registry's default order, and its pinyin searches.
            models.Index(fields=["status", "name_pinyin"], name="cadre_status_name_idx"),
            models.Index(fields=["status", "name_initials"], name="cadre_status_initials_idx"),
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


class FamilyContact(models.Model):
    """家属: a family member or emergency contact of a cadre."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Son or daughter")
        CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
        GRANDCHILD = "grandchild", _("Grandchild")
        SIBLING = "sibling", _("Sibling")
        CARER = "carer", _("Carer")
        OTHER = "other", _("Other")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="family_contacts"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_emergency_contact = models.BooleanField(_("emergency contact"), default=False)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("family contact")
        verbose_name_plural = _("family contacts")
        ordering = ["-is_emergency_contact", "id"]

    def __str__(self) -> str:
        return f"{self.name}{parenthesized(self.get_relation_display())}"


# One colour per visit occasion wherever visits are charted (dark enough for white text
# and distinct from their neighbours); an occasion added later gets one from the rest of
# the palette by its code, the same on every page.
OCCASION_COLOURS = {
    "spring_festival": "#b3261e",
    "lantern_festival": "#d9822b",
    "party_founding": "#8c1d18",
    "mid_autumn": "#c9a227",
    "national_day": "#e25b45",
    "double_ninth": "#8e6c8a",
    "holiday": "#a14b1f",
    "hospital": "#3d7ea6",
    "milestone_birthday": "#5b8c5a",
    "birthday": "#7aa874",
    "political_birthday": "#6b3fa0",
    "family_difficulty": "#4f6d7a",
    "condolence": "#555555",
    "routine": "#9aa5ad",
}
SPARE_COLOURS = ["#2f6f8f", "#8a5a44", "#58735b", "#7c4d7a", "#a07c2c", "#3f5f9f"]


def occasion_colour(code: str) -> str:
    if code in OCCASION_COLOURS:
        return OCCASION_COLOURS[code]
    return SPARE_COLOURS[sum(code.encode()) % len(SPARE_COLOURS)]


class VisitOccasion(models.Model):
    """走访事由: why a visit is made. 五必访 occasions are flagged as mandatory; the set
    is data so that each bureau can use its own wording."""

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Used by reminders and imports.")
    )
    name = models.CharField(_("name"), max_length=50, unique=True)
    is_mandatory = models.BooleanField(_("mandatory visit (五必访)"), default=False, db_index=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit occasion")
        verbose_name_plural = _("visit occasions")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def colour(self) -> str:
        """The occasion's one colour, on the dashboard and in every report's chart."""
        return occasion_colour(self.code)


class Visit(models.Model):
    """走访慰问: a visit to a cadre, planned (with a due date) and then done or cancelled.

    Holiday campaigns and the condolence visit after a death create planned visits that
    staff tick off.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Mode(models.TextChoices):
        HOME = "home", _("Home visit")
        HOSPITAL = "hospital", _("Hospital visit")
        PHONE = "phone", _("Phone call")
        VIDEO = "video", _("Video or WeChat")
        GROUP = "group", _("Group event")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="visits"
    )
    occasion = models.ForeignKey(
        VisitOccasion, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="visits"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DONE
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    visited_on = models.DateField(_("date visited"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, blank=True)
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visiting staff"),
        blank=True,
        related_name="visits_made",
    )
    leaders = models.CharField(
        _("leaders taking part"),
        max_length=200,
        blank=True,
        help_text=_("Names and posts of leaders who took part."),
    )
    condolence_money = models.DecimalField(
        _("condolence money (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    gifts = models.CharField(_("gifts"), max_length=200, blank=True)
    # What the gifts cost: with the money, what the visit spends of its unit's budget
    # line for the occasion (慰问经费).
    gifts_value = models.DecimalField(
        _("value of gifts (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    heart_to_heart = models.BooleanField(
        _("heart-to-heart talk"),
        default=False,
        help_text=_("谈心谈话: a talk about the cadre's thinking and concerns."),
    )
    # 思想动态 of a heart-to-heart talk: read by bureau staff and the cadre's liaison
    # only, so it stays out of the history tables that other roles read.
    thoughts = models.TextField(_("thoughts and concerns"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up_by = models.DateField(_("follow up by"), null=True, blank=True)
    # A visit that needs a follow-up by a date plans the follow-up as a visit of its
    # own, so that the to-do list and the reminders handle every planned visit alike.
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    care_need = models.ForeignKey(
        "CareNeed",
        verbose_name=_("return visit for the need"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="return_visits",
        help_text=_("A return visit (回访) to the cadre after their need was answered."),
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits_recorded",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[visitors], excluded_fields=["thoughts"])

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-due_on", "-id"]
        indexes = [
            models.Index(fields=["cadre", "status", "visited_on"], name="visit_cadre_done_idx"),
            # Occasion and cadre ride along: the dashboard's counts by month, occasion
            # and unit then read this index alone, not 100,000s of visit rows.
            models.Index(
                fields=["status", "visited_on", "occasion", "cadre"],
                name="visit_status_visited_idx",
            ),
            models.Index(fields=["status", "due_on"], name="visit_status_due_idx"),
            models.Index(fields=["occasion", "visited_on"], name="visit_occasion_idx"),
            # The dashboard: visits recorded or completed since its daily snapshot.
            models.Index(fields=["updated_at"], name="visit_updated_idx"),
            # The visit list's "follow-up pending" and "follow-up overdue" filters.
            models.Index(
                fields=["follow_up_by"],
                condition=Q(follow_up_needed=True),
                name="visit_follow_up_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(visited_on__isnull=False),
                name="visit_done_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="planned") | Q(due_on__isnull=False),
                name="visit_planned_has_due_date",
            ),
            models.CheckConstraint(
                condition=Q(condolence_money__gte=0), name="visit_money_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(follow_up_by__isnull=True) | Q(follow_up_needed=True),
                name="visit_follow_up_date_needs_flag",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="visit_cancelled_has_reason",
                violation_error_message=_("Give the reason for cancelling."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_of__isnull=True) | Q(care_need__isnull=True),
                name="visit_follow_up_or_return_visit",
            ),
        ]

    def __str__(self) -> str:
        when = self.visited_on or self.due_on
        return f"{self.cadre} · {self.occasion} · {when}"

    def get_absolute_url(self) -> str:
        return reverse("cadres:visit_detail", args=[self.pk])

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    def clean(self):
        errors: dict[str, list] = {}
        if self.status == self.Status.DONE and not self.visited_on:
            errors.setdefault("visited_on", []).append(_("Enter the date of the visit."))
        if self.status == self.Status.PLANNED and not self.due_on:
            errors.setdefault("due_on", []).append(_("A planned visit needs a due date."))
        if self.visited_on and self.visited_on > timezone.localdate():
            errors.setdefault("visited_on", []).append(
                _("A visit cannot have happened in the future; plan it instead.")
            )
        died_on = self.cadre.died_on if self.cadre_id else None
        is_condolence = self.occasion_id and self.occasion.code == "condolence"
        if died_on and self.visited_on and self.visited_on > died_on and not is_condolence:
            errors.setdefault("visited_on", []).append(
                _("The cadre had died by then; record a condolence visit to the family.")
            )
        if self.follow_up_by and not self.follow_up_needed:
            errors.setdefault("follow_up_needed", []).append(
                _("Tick follow-up needed when giving a follow-up date.")
            )
        if self.follow_up_by and self.visited_on and self.follow_up_by < self.visited_on:
            errors.setdefault("follow_up_by", []).append(
                _("The follow-up date is before the visit.")
            )
        if self.status == self.Status.CANCELLED and not self.cancellation_reason.strip():
            errors.setdefault("cancellation_reason", []).append(
                _("Give the reason for cancelling.")
            )
        if errors:
            raise ValidationError(errors)


class CareNeed(models.Model):
    """来信来访 and needs: every request gets an answer (有访必复), tracked from raised
    to resolved."""

    class Category(models.TextChoices):
        MEDICAL = "medical", _("Medical care")
        LIVING = "living", _("Daily living")
        HOUSING = "housing", _("Housing")
        BENEFITS = "benefits", _("Pension and benefits")
        FAMILY = "family", _("Family matters")
        ACTIVITIES = "activities", _("Study and activities")
        OTHER = "other", _("Other")

    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Raised during a visit")
        ONLINE = "online", _("Online or WeChat")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="care_needs"
    )
    raised_on = models.DateField(_("raised on"))
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.VISIT
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    due_on = models.DateField(pgettext_lazy("need", "due date"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_care_needs",
    )
    resolution = models.TextField(_("resolution and reply"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("care need")
        verbose_name_plural = _("care needs")
        ordering = ["-raised_on", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="careneed_status_due_idx"),
            models.Index(fields=["cadre", "status"], name="careneed_cadre_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="resolved") & Q(resolved_on__isnull=False) & ~Q(resolution=""))
                | (~Q(status="resolved") & Q(resolved_on__isnull=True)),
                name="careneed_resolved_has_date_and_reply",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("raised_on")),
                name="careneed_due_after_raised",
                violation_error_message=_("The due date is before the date raised."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("raised_on")),
                name="careneed_resolved_after_raised",
                violation_error_message=_("This is before the date raised."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_category_display()} · {self.raised_on}"

    def clean(self):
        errors: dict[str, list] = {}
        if self.status == self.Status.RESOLVED:
            if not self.resolved_on:
                errors.setdefault("resolved_on", []).append(_("Enter the date it was resolved."))
            if not self.resolution:
                errors.setdefault("resolution", []).append(
                    _("Every request gets an answer: record the reply.")
                )
        elif self.resolved_on:
            errors.setdefault("status", []).append(
                _("A resolution date is given: set the status to resolved.")
            )
        if self.resolved_on and self.raised_on and self.resolved_on < self.raised_on:
            errors.setdefault("resolved_on", []).append(_("This is before the date raised."))
        if self.due_on and self.raised_on and self.due_on < self.raised_on:
            errors.setdefault("due_on", []).append(_("The due date is before the date raised."))
        if errors:
            raise ValidationError(errors)


class IdNumberDisclosure(models.Model):
    """A full resident ID number shown on request: who asked, for whom, when and from
    where. Administrators read these; nobody edits them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shown to"),
        on_delete=models.PROTECT,
        related_name="id_number_disclosures",
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("retired cadre"),
        on_delete=models.PROTECT,
        related_name="id_number_disclosures",
    )
    disclosed_at = models.DateTimeField(_("shown at"), default=timezone.now, db_index=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("full ID number shown")
        verbose_name_plural = _("full ID numbers shown")
        ordering = ["-disclosed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.cadre} · {self.disclosed_at:%Y-%m-%d %H:%M}"
