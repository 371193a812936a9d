"""Who a distribution's audience is: the issuing unit's cadres on the register, narrowed
by the kind of audience (as a holiday's audience is)."""

import datetime

import pytest

from branches.models import BranchRole
from distributions.models import Distribution
from distributions.selectors import audience_cadres
from tests.factories import BranchRoleFactory, CadreFactory, DistributionFactory, PartyBranchFactory

pytestmark = pytest.mark.django_db


def names(distribution):
    return set(audience_cadres(distribution=distribution).values_list("name", flat=True))


def test_everyone_is_the_issuing_units_subtree_on_the_register(bureau, office, school, finance):
    CadreFactory(name="教育甲", unit=office)
    CadreFactory(name="中学乙", unit=school)
    CadreFactory(name="财政丙", unit=finance)
    CadreFactory(name="已故丁", unit=office, status="deceased", died_on=datetime.date(2025, 3, 1))
    assert names(DistributionFactory(unit=office)) == {"教育甲", "中学乙"}
    assert names(DistributionFactory(unit=bureau)) == {"教育甲", "中学乙", "财政丙"}


def test_lixiu_party_hardship_and_age(office):
    CadreFactory(
        name="离休", unit=office, retirement_kind="lixiu", birth_date=datetime.date(1930, 1, 1)
    )
    CadreFactory(name="群众", unit=office, political_status="masses")
    CadreFactory(name="困难", unit=office, hardship="difficult", political_status="masses")
    # 80 on the day the briefing is issued (2026-03-10), and one a day short of it.
    CadreFactory(name="八十", unit=office, birth_date=datetime.date(1946, 3, 10))
    CadreFactory(name="七十九", unit=office, birth_date=datetime.date(1946, 3, 11))

    def of(audience, **extra):
        return names(
            DistributionFactory(
                unit=office, audience=audience, issued_on=datetime.date(2026, 3, 10), **extra
            )
        )

    assert of("lixiu") == {"离休"}
    assert of("party") == {"离休", "八十", "七十九"}
    assert of("hardship") == {"困难"}
    assert of("aged", min_age=80) == {"离休", "八十"}


def test_a_branch_is_its_current_members(office):
    branch = PartyBranchFactory(unit=office)
    BranchRoleFactory(branch=branch, cadre=CadreFactory(name="支部成员", unit=office))
    BranchRoleFactory(
        branch=branch,
        cadre=CadreFactory(name="已离开", unit=office),
        ended_on=datetime.date(2025, 12, 31),
    )
    BranchRoleFactory(
        branch=branch, cadre=CadreFactory(name="书记", unit=office), role=BranchRole.Role.SECRETARY
    )
    CadreFactory(name="别的支部", unit=office)
    distribution = DistributionFactory(unit=office, audience="branch", branch=branch)
    assert names(distribution) == {"支部成员", "书记"}


def test_an_explicit_list(office, finance):
    listed = CadreFactory(name="名单内", unit=office)
    CadreFactory(name="名单外", unit=office)
    elsewhere = CadreFactory(name="外单位", unit=finance)
    distribution = DistributionFactory(unit=office, audience="list")
    distribution.listed_cadres.set([listed, elsewhere])
    # Listed, but of a unit outside the issuing unit's: not in its audience.
    assert names(distribution) == {"名单内"}


def test_an_audience_needs_its_age_or_branch(office):
    from django.core.exceptions import ValidationError

    for audience, field in (("aged", "min_age"), ("branch", "branch")):
        distribution = Distribution(
            kind="briefing",
            title="通报",
            issued_on=datetime.date(2026, 1, 5),
            year=2026,
            unit=office,
            audience=audience,
        )
        with pytest.raises(ValidationError) as error:
            distribution.full_clean()
        assert field in error.value.message_dict
