"""The budget from the register, in yuan and fen: the standard × the heads per unit and
occasion, the most specific standard for each cadre, whole visits for per-visit
standards, the register on a day, adjustments kept through a re-computation, and
spending summed to the fen."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from cadres.models import CadreStatus, Hardship, RetirementKind, VisitOccasion
from funds.budget import budget_compute, per_visit_count
from funds.models import BudgetLine, Standard
from funds.selectors import line_figure
from funds.services import budget_apply, budget_line_adjust, standards_copy_year
from tests.factories import CadreFactory, UserFactory, VisitFactory

from .factories import StandardFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 1, 10)


@pytest.fixture
def admin_user(db):
    return UserFactory(unit=None, role=User.Role.ADMINISTRATOR)


def occasion(code):
    return VisitOccasion.objects.get(code=code)


def born(age: int) -> datetime.date:
    """A birth date making a cadre ``age`` on DAY."""
    return datetime.date(DAY.year - age, 1, 1)


def lines_of(preview):
    return {(line.unit.pk, line.code): line for line in preview.lines}


def test_per_head_sums_are_exact_in_fen(today, unit_a):
    StandardFactory(occasion=occasion("spring_festival"), amount=Decimal("333.33"))
    for _ in range(7):
        CadreFactory(unit=unit_a)
    line = lines_of(budget_compute(year=2026, register_date=DAY))[(unit_a.pk, "spring_festival")]
    assert line.amount == Decimal("2333.31")
    assert line.heads == 7
    assert line.calculation == "333.33×7"


def test_the_most_specific_standard_applies_then_the_higher(today, unit_a):
    spring = occasion("spring_festival")
    StandardFactory(occasion=spring, amount=Decimal("800.00"))  # everyone
    StandardFactory(occasion=spring, retirement_kind=RetirementKind.LIXIU, amount=Decimal("1000"))
    StandardFactory(occasion=spring, min_age=90, amount=Decimal("1200.00"))
    StandardFactory(occasion=spring, hardship_only=True, amount=Decimal("1100.00"))
    # 离休 and 90+: two conditions, the most specific.
    StandardFactory(
        occasion=spring, retirement_kind=RetirementKind.LIXIU, min_age=90, amount=Decimal("1500")
    )
    plain = CadreFactory(unit=unit_a, birth_date=born(75))  # 800
    CadreFactory(unit=unit_a, birth_date=born(91))  # 1200 (age band)
    CadreFactory(unit=unit_a, birth_date=born(80), hardship=Hardship.EXTREME)  # 1100
    # 90+ and in hardship: two standards of one condition each: the higher, 1200.
    CadreFactory(unit=unit_a, birth_date=born(92), hardship=Hardship.DIFFICULT)
    CadreFactory(unit=unit_a, birth_date=datetime.date(1930, 1, 1), retirement_kind="lixiu")
    CadreFactory(unit=unit_a, birth_date=datetime.date(1935, 1, 1), retirement_kind="lixiu")
    line = lines_of(budget_compute(year=2026, register_date=DAY))[(unit_a.pk, "spring_festival")]
    # 1500 (离休, 96) + 1500 (离休, 91) + 1200 + 1200 + 1100 + 800
    assert line.amount == Decimal("7300.00")
    assert line.heads == 6
    assert plain.age_on(DAY) == 75


def test_an_age_band_is_inclusive_and_counted_on_the_register_day(today, unit_a):
    StandardFactory(
        occasion=occasion("double_ninth"), min_age=80, max_age=89, amount=Decimal("300.00")
    )
    CadreFactory(unit=unit_a, birth_date=datetime.date(1946, 1, 10))  # 80 on DAY
    CadreFactory(unit=unit_a, birth_date=datetime.date(1946, 1, 11))  # 79 on DAY
    CadreFactory(unit=unit_a, birth_date=datetime.date(1936, 1, 11))  # 89 on DAY
    CadreFactory(unit=unit_a, birth_date=datetime.date(1936, 1, 10))  # 90 on DAY
    line = lines_of(budget_compute(year=2026, register_date=DAY))[(unit_a.pk, "double_ninth")]
    assert (line.heads, line.amount) == (2, Decimal("600.00"))


def test_per_visit_standards_are_budgeted_for_whole_visits(today, unit_a, unit_b):
    StandardFactory(
        occasion=occasion("hospital"),
        basis=Standard.Basis.PER_TIME,
        amount=Decimal("500.00"),
        times_per_hundred=Decimal("10.00"),
    )
    for _ in range(25):
        CadreFactory(unit=unit_a)
    CadreFactory(unit=unit_b)
    found = lines_of(budget_compute(year=2026, register_date=DAY))
    assert found[(unit_a.pk, "hospital")].amount == Decimal("1500.00")  # 2.5 → 3 visits
    assert found[(unit_a.pk, "hospital")].calculation == "500.00×3"
    assert found[(unit_b.pk, "hospital")].amount == Decimal("500.00")  # 0.1 → 1 visit
    assert per_visit_count(0, Decimal("10")) == 0
    assert per_visit_count(100, Decimal("10")) == 10


def test_the_register_is_read_on_the_chosen_day(today, unit_a):
    StandardFactory(occasion=occasion("spring_festival"), amount=Decimal("800.00"))
    CadreFactory(unit=unit_a)
    CadreFactory(  # died after the day: counted
        unit=unit_a, status=CadreStatus.DECEASED, died_on=datetime.date(2026, 3, 1)
    )
    CadreFactory(  # died before: not counted
        unit=unit_a, status=CadreStatus.DECEASED, died_on=datetime.date(2025, 12, 1)
    )
    CadreFactory(  # transferred out after the day: counted
        unit=unit_a,
        status=CadreStatus.TRANSFERRED,
        transferred_on=datetime.date(2026, 2, 1),
        transferred_to="外县",
    )
    CadreFactory(  # retires after the day: not yet on the register
        unit=unit_a, birth_date=datetime.date(1966, 3, 1), retirement_date=datetime.date(2026, 3, 1)
    )
    line = lines_of(budget_compute(year=2026, register_date=DAY))[(unit_a.pk, "spring_festival")]
    assert (line.heads, line.amount) == (3, Decimal("2400.00"))


def test_recomputing_shows_the_difference_and_keeps_adjustments(today, unit_a, admin_user):
    StandardFactory(occasion=occasion("spring_festival"), amount=Decimal("800.00"))
    first = CadreFactory(unit=unit_a)
    CadreFactory(unit=unit_a)
    budget_apply(user=admin_user, year=2026, register_date=DAY)
    line = BudgetLine.objects.get(unit=unit_a, code="spring_festival")
    assert (line.computed_amount, line.amount) == (Decimal("1600.00"), Decimal("1600.00"))
    budget_line_adjust(user=admin_user, line=line, amount=Decimal("-0.01"), reason="取整")
    # The register changes: one cadre dies, two join.
    first.status, first.died_on = CadreStatus.DECEASED, datetime.date(2026, 2, 1)
    first.save()
    CadreFactory(unit=unit_a)
    CadreFactory(unit=unit_a)
    later = datetime.date(2026, 3, 1)
    preview = budget_compute(year=2026, register_date=later)
    changed = lines_of(preview)[(unit_a.pk, "spring_festival")]
    assert changed.current_computed == Decimal("1600.00")
    assert changed.amount == Decimal("2400.00")
    assert changed.difference == Decimal("800.00")
    assert changed.adjustments == Decimal("-0.01")
    assert changed.new_budget == Decimal("2399.99")
    assert preview.difference == Decimal("800.00")
    # Nothing is written by looking.
    line.refresh_from_db()
    assert line.amount == Decimal("1599.99")
    with pytest.raises(ValidationError):
        budget_apply(user=admin_user, year=2026, register_date=later, digest="stale")
    budget_apply(user=admin_user, year=2026, register_date=later, digest=preview.digest)
    line.refresh_from_db()
    assert (line.computed_amount, line.amount, line.heads) == (
        Decimal("2400.00"),
        Decimal("2399.99"),
        3,
    )
    assert line.history.count() == 3  # computed, adjusted, re-computed


def test_a_unit_that_no_longer_fits_comes_back_at_zero(today, unit_a, admin_user):
    standard = StandardFactory(occasion=occasion("spring_festival"), amount=Decimal("800.00"))
    CadreFactory(unit=unit_a)
    budget_apply(user=admin_user, year=2026, register_date=DAY)
    standard.retirement_kind = RetirementKind.LIXIU
    standard.save()
    preview = budget_compute(year=2026, register_date=DAY)
    line = lines_of(preview)[(unit_a.pk, "spring_festival")]
    assert (line.amount, line.difference) == (Decimal("0.00"), Decimal("-800.00"))


def test_adjustments_cannot_take_a_line_below_zero(today, unit_a, admin_user):
    StandardFactory(occasion=occasion("spring_festival"), amount=Decimal("800.00"))
    CadreFactory(unit=unit_a)
    budget_apply(user=admin_user, year=2026, register_date=DAY)
    line = BudgetLine.objects.get(unit=unit_a)
    with pytest.raises(ValidationError):
        budget_line_adjust(user=admin_user, line=line, amount=Decimal("-800.01"), reason="核减")
    budget_line_adjust(user=admin_user, line=line, amount=Decimal("-800.00"), reason="核减")
    with pytest.raises(ValidationError):
        budget_line_adjust(user=admin_user, line=line, amount=Decimal("1"), reason="  ")
    # A re-computation that would now go below zero is refused, naming the line.
    Standard.objects.update(amount=Decimal("100.00"))
    CadreFactory(unit=unit_a)  # 2 × 100 = 200 < 800 already taken away
    preview = budget_compute(year=2026, register_date=DAY)
    assert preview.below_zero
    with pytest.raises(ValidationError):
        budget_apply(user=admin_user, year=2026, register_date=DAY)


def test_only_administrators_compute_and_the_bureau_adjusts(today, unit_a, admin_user):
    StandardFactory(occasion=occasion("spring_festival"))
    bureau = UserFactory(unit=unit_a.parent, role=User.Role.BUREAU_STAFF)
    staff = UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF)
    with pytest.raises(PermissionDenied):
        budget_apply(user=bureau, year=2026, register_date=DAY)
    adjustment = budget_line_adjust(
        user=bureau, unit=unit_a, code="activity", year=2026, amount=Decimal("300"), reason="活动"
    )
    assert adjustment.line.amount == Decimal("300.00") and adjustment.line.occasion is None
    with pytest.raises(PermissionDenied):
        budget_line_adjust(user=staff, line=adjustment.line, amount=Decimal("1"), reason="x")


def test_standards_are_copied_into_an_empty_year(today, admin_user):
    StandardFactory(year=2025, amount=Decimal("700.00"))
    StandardFactory(year=2025, occasion=occasion("double_ninth"), amount=Decimal("200.00"))
    assert standards_copy_year(user=admin_user, from_year=2025, to_year=2026) == 2
    assert Standard.objects.filter(year=2026).count() == 2
    with pytest.raises(ValidationError):
        standards_copy_year(user=admin_user, from_year=2025, to_year=2026)


def test_a_duplicate_standard_is_refused(today):
    StandardFactory(year=2026)
    with pytest.raises(ValidationError):
        Standard(year=2026, occasion=occasion("spring_festival"), amount=Decimal("1")).full_clean()


def test_spending_is_summed_to_the_fen(today, unit_a):
    spring = occasion("spring_festival")
    for _ in range(10):
        VisitFactory(
            cadre=CadreFactory(unit=unit_a),
            occasion=spring,
            visited_on=datetime.date(2026, 1, 20),
            condolence_money=Decimal("0.10"),
            gifts_value=Decimal("0.20"),
        )
    figures = line_figure(unit=unit_a, code="spring_festival", year=2026)
    assert figures.spent == Decimal("3.00")
    assert str(figures.spent) == "3.00"
