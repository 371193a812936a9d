"""政治待遇: what is handed to the retirees to read and study, and who received it.

A :class:`Distribution` is one item (a document to read, a briefing, a bulletin issue, a
year's newspaper or magazine subscription, study material) with its audience as data; a
:class:`Delivery` records that it reached one cadre, how and when — at a meeting, by
post, brought home by the liaison (送学上门) or read at the reading room.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Unit
from activities.models import Activity
from branches.models import BranchMeeting, PartyBranch
from cadres.models import Cadre


class Distribution(models.Model):
    """One item of the political treatment handed to an audience of cadres."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document to read")
        BRIEFING = "briefing", _("Briefing")
        BULLETIN = "bulletin", _("Bulletin issue")
        SUBSCRIPTION = "subscription", _("Newspaper or magazine subscription")
        STUDY_MATERIAL = "study", _("Study material")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone on the register")
        LIXIU = "lixiu", _("Lixiu cadres only")
        PARTY_MEMBERS = "party", _("Party members")
        AGED = "aged", _("Aged N and over")
        HARDSHIP = "hardship", _("Cadres with hardship")
        BRANCH = "branch", _("Members of a branch")
        LIST = "list", _("The cadres listed")

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    issue_number = models.PositiveIntegerField(
        _("issue number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For a bulletin: the number of the issue (第N期)."),
    )
    issued_on = models.DateField(_("date issued"))
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("For a subscription: the year it covers."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("issuing unit"),
        on_delete=models.PROTECT,
        related_name="distributions",
        help_text=_("The bureau or unit that hands it out; its audience is the unit's cadres."),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(120)],
        help_text=_("For the audience “aged N and over”."),
    )
    branch = models.ForeignKey(
        PartyBranch,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="distributions",
        help_text=_("For the audience “members of a branch”."),
    )
    listed_cadres = models.ManyToManyField(
        Cadre,
        verbose_name=_("cadres listed"),
        blank=True,
        related_name="listed_distributions",
        help_text=_("For the audience “the cadres listed”."),
    )
    cost = models.DecimalField(
        _("cost (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("For a subscription: the price of one copy for the year."),
    )
    copies = models.PositiveIntegerField(
        _("copies"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For a subscription: how many copies are ordered."),
    )
    expense = models.OneToOneField(
        "funds.Expense",
        verbose_name=_("expense"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="distribution",
        help_text=_("A subscription's cost, spent from the unit's subscription budget line."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[listed_cadres])

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["year", "kind"], name="distribution_year_kind_idx"),
            models.Index(fields=["unit", "issued_on"], name="distribution_unit_date_idx"),
            models.Index(fields=["issued_on"], name="distribution_issued_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(audience="aged") | Q(min_age__isnull=False),
                name="distribution_aged_audience_has_age",
            ),
            models.CheckConstraint(
                condition=~Q(audience="branch") | Q(branch__isnull=False),
                name="distribution_branch_audience_has_branch",
            ),
            models.CheckConstraint(
                condition=Q(issue_number__isnull=True) | Q(kind="bulletin"),
                name="distribution_issue_number_only_for_bulletins",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="distribution_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="distribution_year_range"
            ),
        ]

    def __str__(self) -> str:
        if self.issue_number:
            return _("%(title)s, issue %(number)s") % {
                "title": self.title,
                "number": self.issue_number,
            }
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("distributions:detail", args=[self.pk])

    def audience_label(self) -> str:
        if self.audience == self.Audience.AGED and self.min_age:
            return _("Aged %(age)s and over") % {"age": self.min_age}
        if self.audience == self.Audience.BRANCH and self.branch_id:
            return str(self.branch)
        return str(self.get_audience_display())

    def clean(self):
        errors = {}
        if self.audience == self.Audience.AGED and not self.min_age:
            errors["min_age"] = _("Give the minimum age for this audience.")
        if self.audience == self.Audience.BRANCH and not self.branch_id:
            errors["branch"] = _("Choose the branch for this audience.")
        if self.issue_number and self.kind != self.Kind.BULLETIN:
            errors["issue_number"] = _("Only a bulletin has an issue number.")
        if self.kind == self.Kind.SUBSCRIPTION and self.cost is not None and not self.copies:
            errors["copies"] = _("Give the number of copies ordered.")
        if self.issued_on and self.year and abs(self.issued_on.year - self.year) > 1:
            errors["year"] = _("The year is far from the date issued.")
        if errors:
            raise ValidationError(errors)


class Delivery(models.Model):
    """That a distribution reached one cadre: how, when and by whom."""

    class Way(models.TextChoices):
        MEETING = "meeting", _("At a meeting")
        POST = "post", _("By post")
        HOME = "home", _("Brought home by the liaison")
        READING_ROOM = "reading_room", _("Read at the reading room")

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        related_name="distribution_deliveries",
    )
    way = models.CharField(_("way of delivery"), max_length=15, choices=Way.choices)
    delivered_on = models.DateField(_("delivered on"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="distribution_deliveries",
    )
    branch_meeting = models.ForeignKey(
        BranchMeeting,
        verbose_name=_("branch meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="distribution_deliveries",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="distribution_deliveries",
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_on", "-id"]
        indexes = [
            models.Index(fields=["cadre", "delivered_on"], name="delivery_cadre_date_idx"),
            models.Index(fields=["distribution", "way"], name="delivery_way_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "cadre"],
                name="delivery_once_per_cadre",
                violation_error_message=_("This cadre has already received it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.distribution} · {self.cadre}"

    def get_absolute_url(self) -> str:
        return reverse("distributions:detail", args=[self.distribution_id])
