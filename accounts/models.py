from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Unit(models.Model):
    """单位: the bureau, its departments and the cadres' former employers, as a tree.

    A cadre belongs to the unit that holds the "供养关系" (the former employer that pays
    and looks after them day to day); unit staff see the cadres of their unit's subtree.
    """

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("Retired cadre bureau")
        DEPARTMENT = "department", _("Bureau department")
        EMPLOYER = "employer", _("Employer unit")
        COMMUNITY = "community", _("Community or township")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    code = models.CharField(
        _("code"), max_length=30, unique=True, help_text=_("Unique code used by imports.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="unit_name_unique_within_parent"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A unit cannot be placed under itself or one of its own units.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Language(models.TextChoices):
    """The languages of the staff site (the codes of ``settings.LANGUAGES``), each named
    in itself, as a language switch shows them whatever language the page is in."""

    CHINESE = "zh-hans", "中文"
    ENGLISH = "en", "English"


class YinlingUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: bureau staff, unit staff, a branch secretary or an
    administrator. Reminders go to staff, never to the retirees themselves (四不两给)."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Administrator")
        BUREAU_STAFF = "bureau_staff", _("Bureau staff")
        UNIT_STAFF = "unit_staff", _("Unit staff")
        BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")

    full_name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.UNIT_STAFF, db_index=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    receives_reminders = models.BooleanField(
        _("receives reminders"),
        default=True,
        help_text=_("Send me the daily digest of birthdays and visits that are due."),
    )
    reminder_lead_days = models.PositiveSmallIntegerField(
        _("my birthday lead time (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
        help_text=_("How many days before a birthday to remind me; empty for the default."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=Language.choices,
        default=Language.CHINESE,
        help_text=_("The language of the staff site, chosen in the user menu."),
    )

    objects = YinlingUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            # Everyone but an administrator works within a unit.
            models.CheckConstraint(
                condition=Q(role="administrator") | Q(unit__isnull=False),
                name="user_unit_required_unless_administrator",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
