from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Unit
from accounts.punctuation import parenthesized
from branches.models import PartyBranch
from cadres.models import Cadre


class Team(models.Model):
    """A standing team: an art troupe group, a sports team, a volunteer team or a study
    group, usually built on a branch (支部+协会)."""

    class Kind(models.TextChoices):
        ART = "art", _("Art troupe")
        SPORTS = "sports", _("Sports team")
        VOLUNTEER = "volunteer", _("Volunteer team")
        STUDY = "study", _("Study group")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="teams"
    )
    branch = models.ForeignKey(
        PartyBranch,
        verbose_name=_("branch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Cadre,
        verbose_name=_("members"),
        through="TeamMembership",
        related_name="teams",
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="team_name_unique_in_unit",
                violation_error_message=_("This unit already has a team of this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:team", args=[self.pk])


class TeamMembership(models.Model):
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    is_leader = models.BooleanField(_("team leader"), default=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "cadre"],
                name="team_member_once",
                violation_error_message=_("This cadre is already a member of the team."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.cadre}"


class Activity(models.Model):
    """An activity for retirees: study, culture and sports, senior university, health,
    volunteer service, advice forums (文化养老, 发挥作用)."""

    class Kind(models.TextChoices):
        STUDY = "study", _("Study session")
        CULTURE = "culture", _("Cultural event")
        SPORTS = "sports", _("Sports event")
        SENIOR_UNIVERSITY = "senior_university", _("Senior university class")
        BRIEFING = "briefing", _("Briefing on local development")
        SITE_VISIT = "site_visit", _("Site visit")
        HEALTH = "health", _("Health talk or check-up")
        FESTIVAL = "festival", _("Festival gathering")
        VOLUNTEER = "volunteer", _("Volunteer service")
        FORUM = "forum", _("Advice-giving forum")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    branch = models.ForeignKey(
        PartyBranch,
        verbose_name=_("branch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    description = models.TextField(_("description"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    participants = models.ManyToManyField(
        Cadre, verbose_name=_("participants"), through="Attendance", related_name="activities"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["starts_at"], name="activity_starts_idx"),
            models.Index(fields=["unit", "starts_at"], name="activity_unit_starts_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("The end is before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}{parenthesized(f'{self.starts_at:%Y-%m-%d}')}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The end is before the start.")})


class Attendance(models.Model):
    """A cadre's registration for an activity, and whether they came."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendances"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    volunteer_hours = models.DecimalField(
        _("volunteer hours"),
        max_digits=5,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["activity", "id"]
        indexes = [models.Index(fields=["cadre", "status"], name="attendance_cadre_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "cadre"],
                name="attendance_once",
                violation_error_message=_("This cadre is already on the activity's list."),
            ),
            models.CheckConstraint(
                condition=Q(volunteer_hours__gte=0) & Q(volunteer_hours__lte=24),
                name="attendance_hours_in_day",
                violation_error_message=_("Volunteer hours are between 0 and 24."),
            ),
            models.CheckConstraint(
                condition=Q(volunteer_hours=0) | Q(status="attended"),
                name="attendance_hours_only_when_attended",
                violation_error_message=_("Only someone who attended has volunteer hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.cadre}"


class Honour(models.Model):
    """集体荣誉 / 个人荣誉: an honour awarded to a cadre, a branch or a team."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        CITY = "city", _("City")
        COUNTY = "county", _("County or district")
        UNIT = "unit", _("Unit")

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, db_index=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1949), MaxValueValidator(2200)], db_index=True
    )
    awarded_by = models.CharField(_("awarded by"), max_length=100, blank=True)
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
    )
    branch = models.ForeignKey(
        PartyBranch,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(cadre__isnull=False, branch__isnull=True, team__isnull=True)
                    | Q(cadre__isnull=True, branch__isnull=False, team__isnull=True)
                    | Q(cadre__isnull=True, branch__isnull=True, team__isnull=False)
                ),
                name="honour_exactly_one_recipient",
                violation_error_message=_("Choose exactly one of cadre, branch or team."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title} · {self.recipient}"

    @property
    def recipient(self):
        return self.cadre or self.branch or self.team

    @property
    def is_collective(self) -> bool:
        return self.cadre_id is None


class Suggestion(models.Model):
    """建言献策: a cadre's suggestion, forwarded to leadership and answered."""

    class Category(models.TextChoices):
        ECONOMY = "economy", _("Economic development")
        SOCIETY = "society", _("Social affairs and livelihoods")
        PARTY = "party", _("Party building")
        ENVIRONMENT = "environment", _("Environment and town planning")
        SENIOR_WORK = "senior_work", _("Work for retirees")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        FORWARDED = "forwarded", _("Forwarded")
        ANSWERED = "answered", _("Answered")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="suggestions"
    )
    submitted_on = models.DateField(_("submitted on"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    forwarded_to = models.CharField(_("forwarded to"), max_length=100, blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("collected at activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["status", "submitted_on"], name="suggestion_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="forwarded") | ~Q(forwarded_to=""),
                name="suggestion_forwarded_has_recipient",
                violation_error_message=_("Say to whom the suggestion was forwarded."),
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(response=""),
                name="suggestion_answered_has_response",
                violation_error_message=_("Record the response to the suggestion."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
