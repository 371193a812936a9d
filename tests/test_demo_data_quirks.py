"""The demo data reads as real data would: branch names keep the 县 of their unit,
names fit the gender (of the cadre, of a spouse), a hospital visit is on or after the
admission, and the general branch at the top of the branch list has its committee."""

import io

import pytest
from django.core.management import call_command
from faker import Faker

from branches.models import BranchRole, PartyBranch
from cadres.models import Cadre, FamilyContact, Gender, Health, Visit

pytestmark = pytest.mark.django_db

_person = Faker("zh_CN").provider("faker.providers.person")
MALE_NAMES = set(_person.first_names_male)
FEMALE_NAMES = set(_person.first_names_female)


def given_name(full_name: str) -> str:
    # Faker zh_CN: a one- or two-character surname; the given names are never surnames.
    for size in (1, 2):
        if full_name[size:] in MALE_NAMES | FEMALE_NAMES:
            return full_name[size:]
    return full_name[1:]


@pytest.fixture
def demo():
    call_command("seed_demo", cadres=300, seed=7, stdout=io.StringIO())


def test_institutional_branch_names_keep_the_county(demo):
    names = PartyBranch.objects.filter(kind=PartyBranch.Kind.INSTITUTIONAL).values_list(
        "name", flat=True
    )
    assert names and all(name.startswith("县") for name in names), list(names)
    assert not any(name.startswith("委") or name.startswith("政府") for name in names)


def test_given_names_fit_the_gender(demo):
    for name, gender in Cadre.objects.values_list("name", "gender"):
        expected = MALE_NAMES if gender == Gender.MALE else FEMALE_NAMES
        assert given_name(name) in expected, (name, gender)
    spouses = FamilyContact.objects.filter(relation=FamilyContact.Relation.SPOUSE)
    assert spouses.exists()
    for spouse in spouses.select_related("cadre"):
        expected = FEMALE_NAMES if spouse.cadre.gender == Gender.MALE else MALE_NAMES
        assert given_name(spouse.name) in expected, (spouse.name, spouse.cadre.name)


def test_hospital_visits_are_on_or_after_the_admission(demo):
    visits = Visit.objects.filter(
        occasion__code="hospital", cadre__health=Health.IN_HOSPITAL
    ).select_related("cadre")
    assert visits.exists()
    for visit in visits:
        assert visit.visited_on >= visit.cadre.health_changed_on, visit


def test_the_general_branch_has_its_committee(demo):
    for general in PartyBranch.objects.filter(kind=PartyBranch.Kind.GENERAL):
        current = BranchRole.objects.filter(branch=general, ended_on__isnull=True)
        assert current.filter(role=BranchRole.Role.SECRETARY).count() == 1
        assert current.count() >= 3
