"""The record of full resident ID numbers shown on request: who saw whose number, when
and from where. Administrators read it; nobody edits it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cadre import Cadre


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
