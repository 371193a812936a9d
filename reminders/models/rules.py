"""The kinds of reminder (``ReminderKind``: birthdays, holiday and planned visits, care
needs, branch terms, assistance steps, checkups…) and the settings of each, editable in
admin (``ReminderRule``: whether it is active, its lead days and its thresholds of days
without a visit)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReminderKind(models.TextChoices):
    # Planned visits (待办走访), as three kinds: the visits planned as such (the
    # condolence visit after a death, a campaign's), follow-ups of a visit (跟进) and
    # return visits after a need was answered (回访).
    PLANNED_VISIT = "planned_visit", _("Planned visit due")
    FOLLOW_UP_VISIT = "follow_up_visit", _("Follow-up due")
    RETURN_VISIT = "return_visit", _("Return visit due")
    BIRTHDAY = "birthday", _("Birthday")
    POLITICAL_BIRTHDAY = "political_birthday", _("Political birthday")
    HOLIDAY_VISIT = "holiday_visit", _("Holiday visit")
    OVERDUE_VISIT = "overdue_visit", _("Visit overdue")
    HOSPITAL_VISIT = "hospital_visit", _("In hospital, not visited")
    CARE_NEED_OVERDUE = "care_need_overdue", _("Care need past due")
    BRANCH_TERM_ENDING = "branch_term_ending", _("Branch term ending")
    # A 特困帮扶 case waiting for its next step (review, approval, payment), for
    # whoever must take it; cadres of a checkup campaign not yet checked as its window
    # closes, for their liaison.
    ASSISTANCE_STEP = "assistance_step", _("Assistance case awaiting action")
    CHECKUP_PENDING = "checkup_pending", _("Checkup not yet done")


class ReminderRule(models.Model):
    """The settings of one kind of reminder, editable in admin."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    lead_days = models.PositiveSmallIntegerField(
        _("lead days"),
        default=7,
        validators=[MaxValueValidator(120)],
        help_text=_("For birthdays and terms: remind this many days before the date."),
    )
    threshold_days = models.PositiveSmallIntegerField(
        _("days without a visit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("For hospital stays: remind when no visit for this many days."),
    )
    threshold_days_lixiu = models.PositiveSmallIntegerField(
        _("days without a visit (lixiu)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    threshold_days_tuixiu = models.PositiveSmallIntegerField(
        _("days without a visit (tuixiu)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()
