from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Unit
from cadres.models import Cadre

from .natural_order import NaturalSortKeyField


class PartyBranch(models.Model):
    """党支部 of retirees, or the general branch (党总支) above several of them."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General branch")
        INSTITUTIONAL = "institutional", _("Institutional branch")
        FUNCTIONAL = "functional", _("Functional branch")
        JOINT = "joint", _("Joint branch")

    name = models.CharField(_("name"), max_length=100)
    # 第1 … 第9, 第10: lists order by this rather than by the name.
    sort_key = NaturalSortKeyField(_("sort key"), source="name", default="", db_index=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("general branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_branches",
        limit_choices_to={"kind": "general"},
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="party_branches"
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    feature = models.CharField(
        _("signature team or feature"),
        max_length=200,
        blank=True,
        help_text=_("一支部一特色: the branch's signature team or activity."),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["sort_key"])

    class Meta:
        verbose_name = _("party branch")
        verbose_name_plural = _("party branches")
        ordering = ["kind", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="branch_name_unique_in_unit",
                violation_error_message=_("This unit already has a branch of this name."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="branch_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("branches:detail", args=[self.pk])

    def clean(self):
        if self.parent_id and self.parent.kind != self.Kind.GENERAL:
            raise ValidationError({"parent": _("The parent must be a general branch.")})
        if self.parent_id and self.kind == self.Kind.GENERAL:
            raise ValidationError({"parent": _("A general branch has no parent branch.")})


class BranchRole(models.Model):
    """A cadre's place in a branch for one term: secretary, deputy, committee member
    (支部班子) or member. A row with no ``ended_on`` is current; re-election (换届) ends
    the current rows and starts new ones."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY = "deputy", _("Deputy secretary")
        COMMITTEE = "committee", _("Committee member")
        MEMBER = "member", _("Member")

    COMMITTEE_ROLES = (Role.SECRETARY, Role.DEPUTY, Role.COMMITTEE)

    branch = models.ForeignKey(
        PartyBranch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="roles"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="branch_roles"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    started_on = models.DateField(_("term start"))
    term_ends_on = models.DateField(
        _("term end"),
        null=True,
        blank=True,
        help_text=_("When the term expires and the branch is due for re-election."),
    )
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("Empty while the role is held.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("branch role")
        verbose_name_plural = _("branch roles")
        ordering = ["branch", "role", "started_on"]
        indexes = [
            models.Index(fields=["branch", "ended_on", "role"], name="branchrole_current_idx"),
            models.Index(fields=["ended_on", "term_ends_on"], name="branchrole_term_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["branch"],
                condition=Q(role="secretary", ended_on__isnull=True),
                name="branch_one_current_secretary",
                violation_error_message=_("This branch already has a current secretary."),
            ),
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(ended_on__isnull=True),
                name="cadre_one_current_branch_role",
                violation_error_message=_(
                    "This cadre already holds a current place in a branch; end it first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="branchrole_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True) | Q(term_ends_on__gt=models.F("started_on")),
                name="branchrole_term_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch} · {self.get_role_display()} · {self.cadre}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def clean(self):
        errors = {}
        cadre = self.cadre if self.cadre_id else None
        if cadre is not None and self.ended_on is None:
            if cadre.political_status != "cpc":
                errors["cadre"] = _("Only a Party member can hold a place in a branch.")
            elif cadre.status != "active":
                errors["cadre"] = _("This cadre is no longer on the register.")
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("The end is before the start.")
        if self.term_ends_on and self.started_on and self.term_ends_on <= self.started_on:
            errors["term_ends_on"] = _("The term ends before it starts.")
        if errors:
            raise ValidationError(errors)


class BranchMeeting(models.Model):
    """组织生活: 三会一课 (general meeting, committee meeting, group meeting, party
    lecture) and the themed party day (主题党日)."""

    class Kind(models.TextChoices):
        GENERAL_MEETING = "general_meeting", _("Branch general meeting")
        COMMITTEE_MEETING = "committee_meeting", _("Branch committee meeting")
        GROUP_MEETING = "group_meeting", _("Party group meeting")
        PARTY_LECTURE = "party_lecture", _("Party lecture")
        THEMED_DAY = "themed_day", _("Themed party day")

    branch = models.ForeignKey(
        PartyBranch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=100, blank=True)
    speaker = models.CharField(_("speaker"), max_length=50, blank=True)
    notes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(
        Cadre, verbose_name=_("attendees"), blank=True, related_name="branch_meetings"
    )

    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = _("branch meeting")
        verbose_name_plural = _("branch meetings")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["branch", "held_on"], name="meeting_branch_date_idx"),
            models.Index(fields=["kind", "held_on"], name="meeting_kind_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.branch} · {self.get_kind_display()} · {self.held_on}"


class BranchAide(models.Model):
    """在职干部协助: a serving staff member (a login, not a retiree) assigned to help a
    retirees' branch, from a date until a date. Ending the assignment keeps the row, so
    the branch page and its history show who helped when."""

    branch = models.ForeignKey(
        PartyBranch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="aides"
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="branch_aides",
    )
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Empty while the staff member helps.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("in-service aide")
        verbose_name_plural = _("in-service aides")
        ordering = ["branch", "ended_on", "started_on", "id"]
        indexes = [models.Index(fields=["branch", "ended_on"], name="branchaide_current_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "user"],
                condition=Q(ended_on__isnull=True),
                name="branchaide_one_current_per_user",
                violation_error_message=_("This staff member already helps this branch."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="branchaide_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch} · {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("branches:detail", args=[self.branch_id]) + "#aides"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def clean(self):
        errors = {}
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("The end is before the start.")
        if self.user_id and self.ended_on is None:
            if not self.user.is_active:
                errors["user"] = _("This login is no longer active.")
            elif self.user.role == "branch_secretary":
                errors["user"] = _("Choose a serving staff member, not a branch secretary.")
        if errors:
            raise ValidationError(errors)
