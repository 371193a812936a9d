from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
