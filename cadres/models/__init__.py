"""The registry's models: the retired cadres (``cadre``), the categories they are
recorded under (``choices``), their family contacts (``family``), visits and visit occasions
(``visits``), care needs (``needs``) and the record of full ID numbers shown
(``disclosures``). Everything is importable from ``cadres.models``, where Django and the
other apps look for it."""

# isort: off
# In the order the models were first registered (the order Django lists them in).
from .choices import (
    CadreStatus,
    Gender,
    Hardship,
    Health,
    LivingSituation,
    PoliticalStatus,
    Rank,
    RetirementKind,
)
from .cadre import (
    EARLIEST_LUNAR_BIRTH_DATE,
    LATEST_LIXIU_BIRTH_DATE,
    WELL_FORMED_ID,
    Cadre,
    CadreQuerySet,
)
from .family import FamilyContact
from .visits import OCCASION_COLOURS, SPARE_COLOURS, Visit, VisitOccasion, occasion_colour
from .needs import CareNeed
from .disclosures import IdNumberDisclosure

# isort: on

__all__ = [
    "EARLIEST_LUNAR_BIRTH_DATE",
    "LATEST_LIXIU_BIRTH_DATE",
    "OCCASION_COLOURS",
    "SPARE_COLOURS",
    "WELL_FORMED_ID",
    "Cadre",
    "CadreQuerySet",
    "CadreStatus",
    "CareNeed",
    "FamilyContact",
    "Gender",
    "Hardship",
    "Health",
    "IdNumberDisclosure",
    "LivingSituation",
    "PoliticalStatus",
    "Rank",
    "RetirementKind",
    "Visit",
    "VisitOccasion",
    "occasion_colour",
]
