"""Holidays (节日): the festivals before which the retirees of each one's audience are
visited (春节, 重阳…), on the solar or the lunar calendar, with the lead days of their
reminder, the visit occasion that counts for them and the window of days in which a
visit does."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres.models import VisitOccasion


class CalendarKind(models.TextChoices):
    SOLAR = "solar", _("Solar (Gregorian)")
    LUNAR = "lunar", _("Lunar")


class Holiday(models.Model):
    """A festival before which the retirees of its audience are visited (春节, 重阳…)."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone on the register")
        LIXIU = "lixiu", _("Lixiu cadres only")
        PARTY_MEMBERS = "party", _("Party members")
        AGED = "aged", _("Aged N and over")
        HARDSHIP = "hardship", _("Cadres with hardship")

    name = models.CharField(_("name"), max_length=30, unique=True)
    calendar = models.CharField(_("calendar"), max_length=5, choices=CalendarKind.choices)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        _("day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    lead_days = models.PositiveSmallIntegerField(
        _("lead days"),
        default=14,
        validators=[MaxValueValidator(90)],
        help_text=_("Remind this many days before the holiday."),
    )
    audience = models.CharField(
        _("who is visited"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(120)],
        help_text=_("For the audience “aged N and over”."),
    )
    occasion = models.OneToOneField(
        VisitOccasion,
        verbose_name=_("visit occasion"),
        on_delete=models.PROTECT,
        related_name="holiday",
        help_text=_("A visit with this occasion in the weeks before counts as the holiday visit."),
    )
    visit_window_days = models.PositiveSmallIntegerField(
        _("visit window (days)"),
        default=45,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text=_("Visits this many days before the holiday (up to the day) count for it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="holiday_month_day_range",
            ),
            models.CheckConstraint(
                condition=~Q(calendar="lunar") | Q(day__lte=30), name="holiday_lunar_day_range"
            ),
            models.CheckConstraint(
                condition=~Q(audience="aged") | Q(min_age__isnull=False),
                name="holiday_aged_audience_has_age",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.calendar == CalendarKind.LUNAR and self.day and self.day > 30:
            errors["day"] = _("A lunar month has at most 30 days.")
        if self.calendar == CalendarKind.SOLAR and self.month and self.day:
            import calendar

            if self.day > calendar.monthrange(2024, self.month)[1]:
                errors["day"] = _("This month has no such day.")
        if self.audience == self.Audience.AGED and not self.min_age:
            errors["min_age"] = _("Give the minimum age for this audience.")
        if errors:
            raise ValidationError(errors)
