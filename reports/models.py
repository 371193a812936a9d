from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class YearTheme(models.Model):
    """年主题: the year's work theme (e.g. 2023 "党建引领、情暖夕阳") that heads the
    year's reports."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    theme = models.CharField(_("theme"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("year theme")
        verbose_name_plural = _("year themes")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1949) & models.Q(year__lte=2200),
                name="yeartheme_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.theme}"


class ExportRecord(models.Model):
    """Who exported what, and when: every download of registry data is recorded."""

    class Kind(models.TextChoices):
        CADRES = "cadres", _("Cadre ledger")
        VISITS = "visits", _("Visits")
        ATTENDANCE = "attendance", _("Activity attendance")
        REPORT = "report", _("Statistical report")
        FUNDS_REPORT = "funds_report", _("慰问经费 report")
        FUNDS_REACH = "funds_reach", _("Per-head amounts reached")
        ASSISTANCE_REPORT = "assistance_report", _("Assistance report")
        CHECKUP_LIST = "checkup_list", _("Checkup campaign list")
        COVERAGE = "coverage", _("Distribution coverage")
        # A stored file as uploaded (an assistance document, a checkup report scan).
        DOCUMENT = "document", _("Document or scan")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="exports",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)
    parameters = models.JSONField(
        _("parameters"), default=dict, blank=True, help_text=_("Filters, columns and dates.")
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    id_numbers_masked = models.BooleanField(_("ID numbers masked"), default=True)

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-exported_at"]
        indexes = [models.Index(fields=["user", "exported_at"], name="export_user_time_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.exported_at:%Y-%m-%d %H:%M}"


class DashboardSnapshot(models.Model):
    """The dashboard's lists and figures as worked out once for a day (by the daily
    task, beside the reminder plan): the page reads the latest one instead of running
    the reminder rules over the whole register on every request."""

    day = models.DateField(_("day"), unique=True)
    computed_at = models.DateTimeField(_("computed at"))
    holiday = models.ForeignKey(
        "reminders.Holiday",
        verbose_name=_("next holiday"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    holiday_date = models.DateField(_("holiday date"), null=True, blank=True)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)


class DashboardEntry(models.Model):
    """One cadre in one of the dashboard's lists of the snapshot's day. Overdue,
    hospital and holiday entries name the first visit date (``cleared_from``) that takes
    the cadre off the list, so that a visit recorded since leaves the list at once."""

    class Kind(models.TextChoices):
        BIRTHDAY = "birthday", _("Birthday")
        OVERDUE_VISIT = "overdue_visit", _("Overdue visit")
        HOSPITAL_VISIT = "hospital_visit", _("Hospital visit")
        HOLIDAY_VISIT = "holiday_visit", _("Holiday visit still to make")

    snapshot = models.ForeignKey(
        DashboardSnapshot, on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    occurrence = models.DateField(_("date"))
    cleared_from = models.DateField(_("cleared by a visit from"), null=True, blank=True)
    sort_name = models.CharField(_("name in pinyin"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("dashboard entry")
        verbose_name_plural = _("dashboard entries")
        indexes = [
            models.Index(
                fields=["snapshot", "kind", "occurrence", "sort_name"], name="dashentry_list_idx"
            ),
            # A unit's lists in order (and their counts), without reading other units'.
            models.Index(
                fields=["snapshot", "kind", "unit", "occurrence", "sort_name"],
                name="dashentry_unit_idx",
            ),
            models.Index(fields=["cadre"], name="dashentry_cadre_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.cadre_id} {self.occurrence}"


class DashboardUnitFigures(models.Model):
    """The snapshot's headline figures and visit coverage of the cadres of one unit;
    the dashboard adds up the rows of the units a user sees."""

    snapshot = models.ForeignKey(
        DashboardSnapshot, on_delete=models.CASCADE, related_name="unit_figures"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("dashboard figures of a unit")
        verbose_name_plural = _("dashboard figures of units")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "unit"], name="dashfigures_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} {self.unit_id}"


class ScorecardMeasure(models.TextChoices):
    """The measures of the annual unit scorecard (目标考核), each a share from 0 to 1."""

    VISIT_COVERAGE = "visit_coverage", _("Visit coverage")
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival visits before the day")
    OVERDUE_VISITS = "overdue_visits", _("Visits overdue at year end")
    HOSPITAL_STAYS = "hospital_stays", _("Hospital stays visited within 3 days")
    NEEDS_ON_TIME = "needs_on_time", _("Needs resolved by their due date")
    CHECKUPS = "checkups", _("Health checkups done")
    DISTRIBUTIONS = "distributions", _("Distributions reached")
    BRANCH_MEETINGS = "branch_meetings", _("Branch meetings held")


class ScorecardWeight(models.Model):
    """How much one measure counts in a unit's score; administrators set the weights."""

    measure = models.CharField(
        _("measure"), max_length=20, choices=ScorecardMeasure.choices, unique=True
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=10,
        validators=[MaxValueValidator(100)],
        help_text=_("0 leaves the measure out of the score."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scorecard weight")
        verbose_name_plural = _("scorecard weights")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__lte=100), name="scorecardweight_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.weight}"

    def get_absolute_url(self) -> str:
        return reverse("reports:scorecard_weights")
