"""A bureau with two units, a user of each role, and 特困帮扶 cases taken to each status
through the services (the same path the pages take)."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from accounts.models import User
from assistance import services
from branches.models import BranchRole
from tests.factories import (
    AssistanceCaseFactory,
    BranchRoleFactory,
    CadreFactory,
    PartyBranchFactory,
    UserFactory,
)

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 6, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def private_dir(tmp_path, settings):
    """Documents written by a test go to a directory of its own (the storage reads the
    setting each time); the value is the assistance subfolder, where they land."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return tmp_path / "private" / "assistance"


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def people(bureau, unit_a, unit_b):
    """Every role that may meet a case of unit A."""
    secretary = UserFactory(role=User.Role.BRANCH_SECRETARY, unit=unit_a, full_name="书记")
    return {
        "drafter": UserFactory(role=User.Role.UNIT_STAFF, unit=unit_a, full_name="起草人"),
        "colleague": UserFactory(role=User.Role.UNIT_STAFF, unit=unit_a, full_name="审核人"),
        "other_unit": UserFactory(role=User.Role.UNIT_STAFF, unit=unit_b, full_name="外单位"),
        "bureau": UserFactory(role=User.Role.BUREAU_STAFF, unit=bureau, full_name="局员"),
        "admin": User.objects.create_superuser("root", "root@example.com", "pw-for-tests-1"),
        "secretary": secretary,
    }


@pytest.fixture
def cadre(unit_a, people):
    """A cadre of unit A, member of the branch the secretary leads."""
    cadre = CadreFactory(unit=unit_a, name="王建国", hardship="extreme")
    branch = PartyBranchFactory(unit=unit_a)
    BranchRoleFactory(branch=branch, cadre=cadre)
    BranchRoleFactory(
        branch=branch,
        cadre=CadreFactory(unit=unit_a, account=people["secretary"]),
        role=BranchRole.Role.SECRETARY,
    )
    return cadre


def advance(case, to: str, people, *, paid_on=None, amount=None):
    """Take ``case`` through the workflow up to status ``to``."""
    order = ["draft", "submitted", "reviewed", "approved", "paid", "closed"]
    if to == "refused":
        case = advance(case, "reviewed", people)
        return services.assistance_case_refuse(
            case=case, user=people["bureau"], reason="不符合帮扶条件"
        )
    for status in order[order.index(case.status) + 1 : order.index(to) + 1]:
        if status == "submitted":
            case = services.assistance_case_submit(case=case, user=people["drafter"])
        elif status == "reviewed":
            case = services.assistance_case_review(
                case=case, user=people["colleague"], opinion="情况属实，同意上报"
            )
        elif status == "approved":
            case = services.assistance_case_approve(
                case=case, user=people["bureau"], amount_approved=amount or case.amount_requested
            )
        elif status == "paid":
            case = services.assistance_case_pay(
                case=case,
                user=people["bureau"],
                paid_on=paid_on or datetime.date.today(),
                amount=amount or case.amount_approved,
                method="bank",
            )
        elif status == "closed":
            case = services.assistance_case_close(case=case, user=people["bureau"])
    return case


@pytest.fixture
def make_case(cadre, people):
    def make(status="draft", **fields):
        fields.setdefault("cadre", cadre)
        fields.setdefault("created_by", people["drafter"])
        fields.setdefault("amount_requested", Decimal("3000.00"))
        case = AssistanceCaseFactory(**fields)
        return advance(case, status, people)

    return make
