import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from cadres.models import Cadre, CadreStatus, PoliticalStatus, Visit, VisitOccasion
from cadres.services import cadre_create, cadre_update
from tests.factories import CadreFactory, CareNeedFactory, VisitFactory, make_id_number

pytestmark = pytest.mark.django_db


def cadre_fields(unit, **overrides):
    birth = overrides.pop("birth_date", datetime.date(1952, 8, 1))
    fields = {
        "name": "张三",
        "gender": "M",
        "birth_date": birth,
        "id_number": make_id_number(birth, male=True),
        "retirement_kind": "tuixiu",
        "unit": unit,
    }
    fields.update(overrides)
    return fields


def test_cadre_create_fills_pinyin_search_names(unit_a):
    cadre = cadre_create(**cadre_fields(unit_a))
    assert (cadre.name_pinyin, cadre.name_initials) == ("zhang san", "zs")
    assert Cadre.objects.filter(name_initials__startswith="zs").get() == cadre


def test_polyphonic_surname_is_read_as_a_surname(unit_a):
    cadre = cadre_create(**cadre_fields(unit_a, name="单田芳"))
    assert cadre.name_initials == "stf"


def test_duplicate_id_number_is_rejected_by_validation_and_database(unit_a):
    fields = cadre_fields(unit_a)
    cadre_create(**fields)
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as excinfo:
            cadre_create(**{**fields, "name": "李四"})
        assert "已存在" in str(excinfo.value.message_dict["id_number"])
    with pytest.raises(IntegrityError), transaction.atomic():
        CadreFactory(id_number=fields["id_number"], birth_date=fields["birth_date"])


def test_bad_check_digit_is_rejected(unit_a):
    fields = cadre_fields(unit_a)
    last = fields["id_number"][-1]
    fields["id_number"] = fields["id_number"][:-1] + ("1" if last != "1" else "2")
    with pytest.raises(ValidationError) as excinfo:
        cadre_create(**fields)
    assert "id_number" in excinfo.value.message_dict
    assert not Cadre.objects.exists()


def test_database_rejects_a_duplicate_id_number_even_past_validation(unit_a):
    existing = CadreFactory(unit=unit_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        CadreFactory(unit=unit_a, id_number=existing.id_number)


def test_birth_date_and_gender_must_match_the_id_number(unit_a):
    fields = cadre_fields(unit_a)
    fields["birth_date"] = datetime.date(1953, 1, 1)
    fields["gender"] = "F"
    with pytest.raises(ValidationError) as excinfo:
        cadre_create(**fields)
    assert set(excinfo.value.message_dict) >= {"birth_date", "gender"}


def test_party_join_date_only_for_members(unit_a):
    with pytest.raises(ValidationError) as excinfo:
        cadre_create(
            **cadre_fields(
                unit_a,
                political_status=PoliticalStatus.MASSES,
                party_joined_on=datetime.date(1975, 7, 1),
            )
        )
    assert "party_joined_on" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CadreFactory(
            political_status=PoliticalStatus.MASSES, party_joined_on=datetime.date(1980, 1, 1)
        )


def test_deceased_needs_a_date_of_death(unit_a):
    cadre = cadre_create(**cadre_fields(unit_a))
    with pytest.raises(ValidationError):
        cadre_update(cadre=cadre, status=CadreStatus.DECEASED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cadre.objects.filter(pk=cadre.pk).update(status=CadreStatus.DECEASED)
    cadre.refresh_from_db()
    cadre_update(cadre=cadre, status=CadreStatus.DECEASED, died_on=datetime.date(2026, 3, 1))
    assert cadre.history.count() == 2  # created, then marked deceased


def test_visit_occasions_are_seeded_with_the_five_mandatory_ones():
    mandatory = VisitOccasion.objects.filter(is_mandatory=True)
    generic = set(mandatory.filter(holiday__isnull=True).values_list("code", flat=True))
    assert generic == {
        "hospital",
        "milestone_birthday",
        "holiday",
        "family_difficulty",
        "condolence",
    }
    # Each seeded holiday (春节, 重阳…) brings its own mandatory occasion.
    assert mandatory.filter(holiday__isnull=False).count() == 6


def test_a_done_visit_needs_its_date_and_a_planned_one_its_due_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitFactory(status=Visit.Status.DONE, visited_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitFactory(status=Visit.Status.PLANNED, visited_on=None, due_on=None)
    visit = VisitFactory.build(
        cadre=CadreFactory(), visited_on=datetime.date(2999, 1, 1), condolence_money=-1
    )
    with pytest.raises(ValidationError) as excinfo:
        visit.full_clean()
    assert {"visited_on", "condolence_money"} <= set(excinfo.value.message_dict)


def test_a_resolved_need_needs_a_reply():
    need = CareNeedFactory()
    need.status = "resolved"
    need.resolved_on = datetime.date(2026, 5, 3)
    with pytest.raises(ValidationError) as excinfo:
        need.full_clean()
    assert "resolution" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        need.save()


def test_a_lixiu_cadre_was_born_before_1936(unit_a):
    with pytest.raises(ValidationError) as excinfo:
        cadre_create(**cadre_fields(unit_a, retirement_kind="lixiu"))
    assert "retirement_kind" in excinfo.value.message_dict
    veteran = cadre_create(
        **cadre_fields(unit_a, retirement_kind="lixiu", birth_date=datetime.date(1930, 5, 1))
    )
    assert veteran.retirement_kind == "lixiu"


def test_a_visit_after_death_must_be_a_condolence_visit(unit_a):
    cadre = CadreFactory(unit=unit_a, status="deceased", died_on=datetime.date(2026, 3, 1))
    routine = VisitFactory.build(cadre=cadre, visited_on=datetime.date(2026, 3, 5))
    with pytest.raises(ValidationError) as excinfo:
        routine.full_clean()
    assert "visited_on" in excinfo.value.message_dict
    condolence = VisitFactory.build(
        cadre=cadre,
        visited_on=datetime.date(2026, 3, 5),
        occasion=VisitOccasion.objects.get(code="condolence"),
    )
    condolence.full_clean()
