import datetime
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import Unit, User
from activities.models import Attendance, Team, TeamMembership
from branches.models import BranchMeeting, BranchRole, PartyBranch
from cadres.age_bands import AgeBand, age_band_of
from cadres.models import Cadre, CadreStatus, CareNeed, Visit
from cadres.validators import validate_resident_id

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def seeded_snapshot(**options):
    """Seed inside a transaction that is rolled back, returning what was made."""
    snapshot = {}
    try:
        with transaction.atomic():
            call_command("seed_demo", stdout=io.StringIO(), **options)
            snapshot["cadres"] = sorted(
                Cadre.objects.values_list("id_number", "name", "unit__code")
            )
            snapshot["visits"] = Visit.objects.count()
            raise Rollback
    except Rollback:
        return snapshot


def test_seeding_is_deterministic_for_a_seed():
    first = seeded_snapshot(cadres=120, seed=7)
    second = seeded_snapshot(cadres=120, seed=7)
    other = seeded_snapshot(cadres=120, seed=8)
    assert first == second
    assert first["cadres"] != other["cadres"]


def test_seeding_twice_changes_nothing(capsys):
    models = (Unit, User, Cadre, Visit, BranchRole, Team)
    call_command("seed_demo", cadres=150, seed=3)
    counts = [model.objects.count() for model in models]
    call_command("seed_demo", cadres=150, seed=3)
    assert [model.objects.count() for model in models] == counts
    assert "已存在" in capsys.readouterr().out


@pytest.mark.parametrize("seed", [0, 16])
def test_a_tiny_demo_works(seed):
    call_command("seed_demo", cadres=1, seed=seed, stdout=io.StringIO())
    assert Cadre.objects.count() == 1


def test_if_empty_leaves_a_real_registry_alone(unit_a):
    from tests.factories import CadreFactory

    CadreFactory(unit=unit_a)
    call_command("seed_demo", cadres=50, if_empty=True, stdout=io.StringIO())
    assert Cadre.objects.count() == 1


def test_default_demo_matches_the_source_figures(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "admin" in out and "unit" in out and "secretary" in out
    today = timezone.localdate()
    cadres = list(Cadre.objects.all())
    assert len(cadres) == 2155
    bands = Counter(age_band_of(c.age_on(today)) for c in cadres)
    # 232 / 120 / 62 / 14 of 428 in the source report, within sampling noise.
    for band, share in [
        (AgeBand.UP_TO_69, 232 / 428),
        (AgeBand.SEVENTIES, 120 / 428),
        (AgeBand.EIGHTIES, 62 / 428),
        (AgeBand.NINETY_PLUS, 14 / 428),
    ]:
        assert abs(bands[band] / len(cadres) - share) < 0.03, (band, bands)
    lixiu = [c for c in cadres if c.retirement_kind == "lixiu"]
    assert lixiu and all(c.age_on(today) >= 90 for c in lixiu)
    assert sum(c.status == CadreStatus.DECEASED for c in cadres) > 0
    for cadre in cadres:
        validate_resident_id(cadre.id_number)
    # Demo records pass the same validation as real ones.
    for model in (Cadre, Visit, BranchRole, BranchMeeting, TeamMembership, Attendance, CareNeed):
        for record in model.objects.order_by("?")[:300]:
            record.full_clean()
    for meeting_kind in ("committee_meeting", "themed_day"):
        per_month = Counter(
            (d.year, d.month)
            for d in BranchMeeting.objects.filter(
                kind=meeting_kind, branch=PartyBranch.objects.filter(kind="joint").first()
            ).values_list("held_on", flat=True)
        )
        assert max(per_month.values()) == 1  # one a month, no month twice

    branches = Counter(PartyBranch.objects.values_list("kind", flat=True))
    assert branches == {"general": 1, "institutional": 15, "joint": 29}
    secretaries = BranchRole.objects.filter(role="secretary", ended_on__isnull=True)
    assert secretaries.count() == 45  # the general branch's, the 15 and the 29
    teams = Counter(Team.objects.values_list("kind", flat=True))
    assert teams["art"] == 9 and teams["sports"] == 11 and teams["volunteer"] >= 15
    year_ago = today - datetime.timedelta(days=365)
    assert Visit.objects.filter(visited_on__gt=year_ago).count() > 2000
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(User.Role.values)
    assert User.objects.get(username="unit").check_password("yinling-demo-2026")


def test_demo_staff_logins_can_work_in_admin_within_their_units(client):
    from django.urls import reverse

    call_command("seed_demo", cadres=200, seed=5, stdout=io.StringIO())
    unit_user = User.objects.get(username="unit")
    client.force_login(unit_user)
    response = client.get(reverse("admin:cadres_cadre_changelist"))
    assert response.status_code == 200
    shown = {cadre.unit_id for cadre in response.context["cl"].result_list}
    assert shown and shown <= {
        unit_user.unit_id,
        *unit_user.unit.children.values_list("id", flat=True),
    }
    client.force_login(User.objects.get(username="bureau"))
    assert client.get(reverse("admin:cadres_cadre_changelist")).status_code == 200


def test_if_empty_seeds_an_empty_database():
    """`make run` calls `seed_demo --if-empty` on a freshly migrated database."""
    call_command("seed_demo", cadres=20, seed=1, if_empty=True, stdout=io.StringIO())
    assert Cadre.objects.count() == 20
    assert User.objects.filter(username="admin").exists()


def test_if_empty_skips_quietly_when_there_are_only_users(superuser):
    """An administrator created with createsuperuser is data: no demo logins beside it."""
    out = io.StringIO()
    call_command("seed_demo", cadres=20, if_empty=True, stdout=out)
    assert "skipped" in out.getvalue()
    assert list(User.objects.values_list("username", flat=True)) == ["root"]
    assert not Unit.objects.exists() and not Cadre.objects.exists()


@pytest.mark.parametrize("existing", ["user", "unit"])
def test_a_database_with_data_is_refused_without_force(request, existing):
    request.getfixturevalue("superuser" if existing == "user" else "bureau")
    before = (User.objects.count(), Unit.objects.count())
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", cadres=20, stdout=io.StringIO())
    assert (User.objects.count(), Unit.objects.count()) == before
    assert not Cadre.objects.exists()


def test_force_seeds_beside_existing_data(bureau):
    call_command("seed_demo", cadres=20, seed=2, force=True, stdout=io.StringIO())
    assert Cadre.objects.count() == 20
    assert Unit.objects.filter(pk=bureau.pk).exists()


@pytest.mark.parametrize("options", [{}, {"force": True}, {"if_empty": True}])
def test_settings_that_forbid_demo_data_refuse_whatever_the_options(settings, options):
    settings.YINLING_ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="YINLING_ALLOW_DEMO_DATA"):
        call_command("seed_demo", cadres=20, stdout=io.StringIO(), **options)
    assert not User.objects.exists() and not Cadre.objects.exists()


def test_demo_secretaries_read_the_staff_site_and_have_no_admin():
    from accounts.scoping import can_use_admin

    call_command("seed_demo", cadres=150, seed=3, stdout=io.StringIO())
    secretaries = list(User.objects.filter(role=User.Role.BRANCH_SECRETARY))
    assert secretaries
    assert not any(user.is_staff or can_use_admin(user=user) for user in secretaries)
    assert can_use_admin(user=User.objects.get(username="unit"))


def test_visit_history_for_benchmarks_adds_earlier_visits():
    plain = seeded_snapshot(cadres=60, seed=3)["visits"]
    more = seeded_snapshot(cadres=60, seed=3, visits_per_cadre=10)["visits"]
    assert more > plain + 60 * 5
