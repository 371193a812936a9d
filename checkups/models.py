"""体检: the bureau's yearly checkup campaigns and each cadre's checkup."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres.models import Cadre, Visit, VisitOccasion

from .storage import private_storage, report_path

REPORT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]


class CheckupCampaign(models.Model):
    """A year's checkup campaign (组织离休干部体检): who is to be checked, where and when.
    Opened by administrators and bureau staff; the same for every unit."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone on the register")
        LIXIU = "lixiu", _("Lixiu cadres only")
        LIXIU_OR_AGED = "lixiu_or_aged", _("Lixiu cadres, and tuixiu cadres aged N and over")
        TUIXIU_AGED = "tuixiu_aged", _("Tuixiu cadres aged N and over")
        AGED = "aged", _("Aged N and over")
        HARDSHIP = "hardship", _("Cadres with hardship")
        LISTED = "listed", _("The cadres listed")

    AGED_AUDIENCES = (Audience.LIXIU_OR_AGED, Audience.TUIXIU_AGED, Audience.AGED)

    name = models.CharField(_("name"), max_length=60)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    audience = models.CharField(
        _("who is checked"), max_length=16, choices=Audience.choices, default=Audience.LIXIU
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(120)],
        help_text=_("For the audiences “aged N and over”: the age on the day the window opens."),
    )
    cadres = models.ManyToManyField(
        Cadre,
        verbose_name=_("cadres listed"),
        blank=True,
        related_name="checkup_campaigns",
        help_text=_("For the audience “the cadres listed”."),
    )
    hospitals = models.TextField(
        _("hospitals"), blank=True, help_text=_("One hospital per line; the first is the default.")
    )
    opens_on = models.DateField(_("window opens"))
    closes_on = models.DateField(_("window closes"))
    follow_up_occasion = models.ForeignKey(
        VisitOccasion,
        verbose_name=_("occasion of follow-up visits"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A finding that needs a follow-up plans a visit with this occasion."),
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("follow-up within (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text=_("The follow-up visit is due this many days after the checkup."),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[cadres])

    class Meta:
        verbose_name = _("checkup campaign")
        verbose_name_plural = _("checkup campaigns")
        ordering = ["-year", "-opens_on", "-id"]
        indexes = [
            models.Index(fields=["is_active", "closes_on"], name="checkup_campaign_open_idx")
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="checkup_campaign_once_a_year"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="checkup_campaign_window_order",
            ),
            models.CheckConstraint(
                condition=~Q(audience__in=["lixiu_or_aged", "tuixiu_aged", "aged"])
                | Q(min_age__isnull=False),
                name="checkup_campaign_aged_has_age",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("checkups:campaign", args=[self.pk])

    @property
    def hospital_list(self) -> list[str]:
        return [line.strip() for line in self.hospitals.splitlines() if line.strip()]

    @property
    def audience_label(self) -> str:
        label = str(self.get_audience_display())
        if self.audience in self.AGED_AUDIENCES and self.min_age:
            return label.replace("N", str(self.min_age))
        return label

    def clean(self):
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The window closes before it opens.")
        if self.opens_on and self.year and self.opens_on.year != self.year:
            errors["opens_on"] = _("The window opens in another year than the campaign's.")
        if self.audience in self.AGED_AUDIENCES and not self.min_age:
            errors["min_age"] = _("Give the minimum age for this audience.")
        if errors:
            raise ValidationError(errors)


class Checkup(models.Model):
    """One cadre's checkup in a campaign: done (date, hospital, result), or not done
    for a reason. A cadre of the audience without a row is still to be checked."""

    class Result(models.TextChoices):
        NORMAL = "normal", _("Normal")
        FOLLOW_UP = "follow_up", _("Follow-up needed")
        REFERRED = "referred", _("Referred to a specialist")

    class Reason(models.TextChoices):
        DECLINED = "declined", _("Declined")
        IN_HOSPITAL = "in_hospital", _("In hospital")
        AWAY = "away", _("Away")
        OTHER = "other", _("Other reason")

    campaign = models.ForeignKey(
        CheckupCampaign,
        verbose_name=_("checkup campaign"),
        on_delete=models.PROTECT,
        related_name="checkups",
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="checkups"
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    hospital = models.CharField(_("hospital"), max_length=100, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    result_summary = models.TextField(_("result summary"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    not_checked_reason = models.CharField(
        _("reason not checked"), max_length=12, choices=Reason.choices, blank=True
    )
    report_file = models.FileField(
        _("report scan"),
        storage=private_storage,
        upload_to=report_path,
        max_length=200,
        blank=True,
        validators=[FileExtensionValidator(REPORT_EXTENSIONS)],
    )
    report_name = models.CharField(_("file name"), max_length=255, blank=True)
    follow_up_visit = models.ForeignKey(
        Visit,
        verbose_name=_("follow-up visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkup_findings",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkups_recorded",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checkup")
        verbose_name_plural = _("checkups")
        ordering = ["-checked_on", "-id"]
        indexes = [
            models.Index(fields=["campaign", "result"], name="checkup_campaign_result_idx"),
            models.Index(fields=["cadre", "checked_on"], name="checkup_cadre_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "cadre"], name="checkup_once_a_campaign"),
            # Done: a date and a result. Not done: neither, and then perhaps a reason.
            models.CheckConstraint(
                condition=Q(checked_on__isnull=False, not_checked_reason="") & ~Q(result="")
                | Q(checked_on__isnull=True, result=""),
                name="checkup_done_or_not",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.campaign}"

    def get_absolute_url(self) -> str:
        return reverse("checkups:record", args=[self.campaign_id, self.cadre_id])

    @property
    def is_checked(self) -> bool:
        return self.checked_on is not None

    def clean(self):
        errors: dict[str, list] = {}
        if self.checked_on and not self.result:
            errors.setdefault("result", []).append(_("Give the result of the checkup."))
        if not self.checked_on and self.result:
            errors.setdefault("checked_on", []).append(_("Give the date of the checkup."))
        if self.checked_on and self.not_checked_reason:
            errors.setdefault("not_checked_reason", []).append(
                _("A cadre who was checked needs no reason for not being checked.")
            )
        if errors:
            raise ValidationError(errors)
