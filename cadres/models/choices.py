"""The categories a retired cadre is recorded under on the register: gender, 离休 or
退休, former rank, political status, health, living situation, hardship, and whether the
cadre is still on the register. The registry's filters, the reports and the reminder rules
all read these."""

import functools

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class RetirementKind(models.TextChoices):
    """离休 (joined the revolution before October 1949) or 退休 (ordinary retirement)."""

    LIXIU = "lixiu", _("Lixiu (pre-1949 veteran)")
    TUIXIU = "tuixiu", _("Tuixiu (retired)")


class Rank(models.TextChoices):
    """原职级: the civil-service grade held on retirement."""

    PROVINCIAL = "provincial", _("Provincial or ministerial level")
    BUREAU_CHIEF = "bureau_chief", _("Department or bureau chief")
    BUREAU_DEPUTY = "bureau_deputy", _("Department or bureau deputy")
    COUNTY_CHIEF = "county_chief", _("County or division chief")
    COUNTY_DEPUTY = "county_deputy", _("County or division deputy")
    SECTION_CHIEF = "section_chief", _("Section chief")
    SECTION_DEPUTY = "section_deputy", _("Section deputy")
    CLERK = "clerk", _("Clerk")
    OTHER = "other", _("Other")


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc", _("CPC member")
    DEMOCRATIC_PARTY = "democratic", _("Democratic party member")
    MASSES = "masses", _("Non-party")


class Health(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")
    BEDRIDDEN = "bedridden", _("Bedridden")
    IN_HOSPITAL = "hospital", _("In hospital")


class LivingSituation(models.TextChoices):
    WITH_FAMILY = "family", _("Lives with family")
    EMPTY_NEST = "empty_nest", _("Empty nest (couple alone)")
    ALONE = "alone", _("Lives alone")
    CARE_HOME = "care_home", _("In a care home")


class Hardship(models.TextChoices):
    NONE = "none", _("None")
    DIFFICULT = "difficult", _("Living difficulties")
    EXTREME = "extreme", _("Extreme hardship")


class CadreStatus(models.TextChoices):
    ON_REGISTER = "active", _("On the register")
    DECEASED = "deceased", _("Deceased")
    TRANSFERRED = "transferred", _("Transferred out")


@functools.cache
def _labels(field, language: str | None) -> dict:
    return {
        make_hashable(value): force_str(label, strings_only=True)
        for value, label in field.flatchoices
    }


class ChoiceLabels:
    """``get_<field>_display()`` from a table of labels translated once per language,
    where Django's builds a dict of the field's lazy labels, and so translates every one
    of them, on each call (a registry page calls it hundreds of times)."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        label = _labels(field, get_language()).get(make_hashable(value), value)
        return force_str(label, strings_only=True)
