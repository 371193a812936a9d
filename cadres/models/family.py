"""A cadre's family (家属): the relatives and carers the bureau keeps in touch with, and
which of them to call in an emergency."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.punctuation import parenthesized

from .cadre import Cadre
from .choices import ChoiceLabels


class FamilyContact(ChoiceLabels, models.Model):
    """家属: a family member or emergency contact of a cadre."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Son or daughter")
        CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
        GRANDCHILD = "grandchild", _("Grandchild")
        SIBLING = "sibling", _("Sibling")
        CARER = "carer", _("Carer")
        OTHER = "other", _("Other")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="family_contacts"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_emergency_contact = models.BooleanField(_("emergency contact"), default=False)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("family contact")
        verbose_name_plural = _("family contacts")
        ordering = ["-is_emergency_contact", "id"]

    def __str__(self) -> str:
        return f"{self.name}{parenthesized(self.get_relation_display())}"
