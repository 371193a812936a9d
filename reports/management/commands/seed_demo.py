"""``manage.py seed_demo``: a realistic, deterministic demo registry.

It lives in the highest app (reports), so that it may use every app it fills.
"""

import random
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from faker import Faker

from accounts.demo import demo_already_seeded, seed_units_and_users
from accounts.models import Unit, User
from accounts.services import role_groups_sync
from activities.demo import seed_activities, seed_honours, seed_teams
from assistance.demo import seed_assistance
from branches.demo import seed_branches
from cadres.bulk import analyze_tables
from cadres.demo import seed_cadres, seed_family
from cadres.models import Cadre
from cadres.visit_demo import seed_care_needs, seed_visit_history, seed_visits
from checkups.demo import seed_checkups
from distributions.demo import seed_distributions
from funds.demo import seed_funds


class Command(BaseCommand):
    help = (
        "Fill the database with a demo registry: units, staff logins, retirees, branches, "
        "teams and a year of visits, meetings and activities. Deterministic for a given "
        "--seed and day; does nothing when the demo is already there. Only into an empty "
        "database (unless --force), and never on production settings: the demo logins "
        "share one public password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cadres", type=int, default=2155, help="number of retirees")
        parser.add_argument("--seed", type=int, default=2155, help="random seed")
        parser.add_argument(
            "--visits-per-cadre",
            type=int,
            default=0,
            help="add earlier years of visits until each cadre has about this many "
            "(benchmarks: 11 gives about 1,060,000 visits for 100,000 cadres)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="seed an empty database; skip quietly (no error) when it holds data",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="seed even though the database holds users, units or cadres",
        )

    def handle(
        self,
        *args,
        cadres: int,
        seed: int,
        if_empty: bool,
        force: bool,
        visits_per_cadre: int = 0,
        **options,
    ):
        if cadres < 1:
            raise CommandError("--cadres must be at least 1")
        if not settings.YINLING_ALLOW_DEMO_DATA:
            raise CommandError(
                "这些设置不允许演示数据。 Demo data is not allowed with these settings "
                "(YINLING_ALLOW_DEMO_DATA is off, always so in production): its logins "
                "share the public demo password."
            )
        if demo_already_seeded():
            self.stdout.write("演示数据已存在，未做改动。 (demo data already present)")
            self._print_logins()
            return
        existing = _existing_records()
        if existing and if_empty:
            self.stdout.write("数据库中已有数据，跳过演示数据。 (database not empty: skipped)")
            return
        if existing and not force:
            raise CommandError(
                f"数据库中已有数据 ({existing})。 The database is not empty ({existing}): the "
                "demo would add logins with the public demo password beside real records. "
                "Use --force to seed it anyway."
            )
        started = time.monotonic()
        rng = random.Random(seed)
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        today = timezone.localdate()
        with transaction.atomic():
            org = seed_units_and_users(password=settings.DEMO_PASSWORD)
            people = seed_cadres(rng=rng, fake=fake, count=cadres, org=org, today=today)
            counts = {
                "cadres": len(people),
                "family contacts": seed_family(rng=rng, fake=fake, cadres=people),
                "visits": seed_visits(rng=rng, cadres=people, org=org, today=today),
                "care needs": seed_care_needs(rng=rng, cadres=people, today=today),
            }
            if visits_per_cadre:
                counts["visits"] += seed_visit_history(
                    rng=rng, cadres=people, today=today, per_cadre=visits_per_cadre
                )
            branches = seed_branches(rng=rng, cadres=people, org=org, today=today)
            counts["branches"] = len(branches)
            teams = seed_teams(rng=rng, cadres=people, branches=branches, org=org, today=today)
            counts["teams"] = len(teams)
            counts["activities"] = seed_activities(
                rng=rng, cadres=people, teams=teams, org=org, today=today
            )
            counts["honours"] = seed_honours(
                rng=rng, cadres=people, branches=branches, teams=teams, today=today
            )
            counts.update(seed_distributions(rng=rng, cadres=people, org=org, today=today))
            counts["checkups"] = seed_checkups(rng=rng, cadres=people, org=org, today=today)
            self._link_secretary_logins(org, password=settings.DEMO_PASSWORD)
            counts.update(
                seed_assistance(
                    rng=rng, cadres=people, org=org, today=today, password=settings.DEMO_PASSWORD
                )
            )
            # Last: it prices the visits and links the payments recorded above to lines.
            counts.update(seed_funds(rng=rng, cadres=people, org=org, today=today))
            role_groups_sync()
        # Statistics for the planner, once the rows are committed (see analyze_tables).
        analyze_tables(
            model
            for label in ("accounts", "cadres", "branches", "activities")
            for model in apps.get_app_config(label).get_models()
        )
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已生成 ({summary}) in {time.monotonic() - started:.1f}s")
        )
        self._print_logins()

    def _link_secretary_logins(self, org, *, password: str) -> None:
        """Give the secretaries of the first two branches their own login."""
        from django.contrib.auth.hashers import make_password

        from branches.models import BranchRole

        roles = (
            BranchRole.objects.filter(role=BranchRole.Role.SECRETARY, ended_on__isnull=True)
            .select_related("cadre", "branch")
            .order_by("branch_id")[:2]
        )
        for index, role in enumerate(roles, 1):
            user = User.objects.create(
                username="secretary" if index == 1 else f"secretary{index}",
                full_name=role.cadre.name,
                role=User.Role.BRANCH_SECRETARY,
                unit=role.cadre.unit,
                # No admin: a secretary reads their branches on the staff site.
                password=make_password(password),
                receives_reminders=False,
            )
            Cadre.objects.filter(pk=role.cadre_id).update(account=user)

    def _print_logins(self) -> None:
        users = User.objects.filter(username__in=_DEMO_LOGINS).select_related("unit")
        if not users:
            return
        self.stdout.write("演示账号 (demo logins), 密码 password: " + settings.DEMO_PASSWORD)
        for user in sorted(users, key=lambda u: _DEMO_LOGINS.index(u.username)):
            unit = user.unit.name if user.unit else "—"
            self.stdout.write(f"  {user.username:<12} {user.get_role_display():<8} {unit}")


_DEMO_LOGINS = ["admin", "bureau", "unit", "unit02", "secretary"]


def _existing_records() -> str:
    """What makes the database not empty ("2 users, 1 unit"), or "" when it is empty.
    Data migrations fill only reference tables (holidays, visit occasions, rules)."""
    counts = [
        (User.objects.count(), "user", "users"),
        (Unit.objects.count(), "unit", "units"),
        (Cadre.objects.count(), "cadre", "cadres"),
    ]
    return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n)
