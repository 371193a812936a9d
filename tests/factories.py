"""factory_boy factories for every model, with Faker in Chinese and valid resident IDs."""

import datetime
import itertools
import secrets
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory
from stdnum.cn import ric

from accounts.models import Unit, User
from activities.models import Activity, Attendance, Honour, Suggestion, Team, TeamMembership
from branches.models import BranchMeeting, BranchRole, PartyBranch
from cadres.models import (
    Cadre,
    CareNeed,
    FamilyContact,
    Gender,
    IdNumberDisclosure,
    PoliticalStatus,
    RetirementKind,
    Visit,
    VisitOccasion,
)
from cadres.pinyin import name_pinyin

factory.Faker._DEFAULT_LOCALE = "zh_CN"
_sequence = itertools.count(1)
# Districts whose codes have never changed, so they are valid for any birth year.
AREAS = ["110101", "110102", "110105", "110106", "110107", "110108", "110109"]


def make_id_number(birth: datetime.date, male: bool, serial: int | None = None) -> str:
    serial = next(_sequence) if serial is None else serial
    order = (serial % 499) * 2 + (1 if male else 0)
    area = AREAS[serial // 499 % len(AREAS)]
    body = f"{area}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    code = factory.Sequence(lambda n: f"T{n:04d}")
    kind = Unit.Kind.EMPLOYER


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    role = User.Role.UNIT_STAFF
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password("pw-for-tests-1")


class CadreFactory(DjangoModelFactory):
    class Meta:
        model = Cadre

    class Params:
        male = True

    name = factory.Faker("name")
    name_pinyin = factory.LazyAttribute(lambda o: name_pinyin(o.name)[0])
    name_initials = factory.LazyAttribute(lambda o: name_pinyin(o.name)[1])
    gender = factory.LazyAttribute(lambda o: Gender.MALE if o.male else Gender.FEMALE)
    birth_date = datetime.date(1950, 3, 15)
    id_number = factory.LazyAttribute(lambda o: make_id_number(o.birth_date, o.male))
    retirement_kind = RetirementKind.TUIXIU
    retirement_date = factory.LazyAttribute(
        lambda o: o.birth_date.replace(year=o.birth_date.year + 60)
    )
    unit = factory.SubFactory(UnitFactory)
    political_status = PoliticalStatus.CPC_MEMBER
    party_joined_on = factory.LazyAttribute(
        lambda o: (
            o.birth_date.replace(year=o.birth_date.year + 25)
            if o.political_status == PoliticalStatus.CPC_MEMBER
            else None
        )
    )


class IdNumberDisclosureFactory(DjangoModelFactory):
    class Meta:
        model = IdNumberDisclosure

    user = factory.SubFactory(UserFactory, role=User.Role.BUREAU_STAFF)
    cadre = factory.SubFactory(CadreFactory)


class FamilyContactFactory(DjangoModelFactory):
    class Meta:
        model = FamilyContact

    cadre = factory.SubFactory(CadreFactory)
    name = factory.Faker("name")
    relation = FamilyContact.Relation.CHILD
    phone = factory.Faker("phone_number")


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    cadre = factory.SubFactory(CadreFactory)
    occasion = factory.LazyFunction(lambda: VisitOccasion.objects.get(code="routine"))
    status = Visit.Status.DONE
    visited_on = datetime.date(2026, 1, 10)
    mode = Visit.Mode.HOME


class CareNeedFactory(DjangoModelFactory):
    class Meta:
        model = CareNeed

    cadre = factory.SubFactory(CadreFactory)
    raised_on = datetime.date(2026, 5, 1)
    category = CareNeed.Category.MEDICAL
    description = "需要陪同就医"


class PartyBranchFactory(DjangoModelFactory):
    class Meta:
        model = PartyBranch

    name = factory.Sequence(lambda n: f"第{n}联合党支部")
    kind = PartyBranch.Kind.JOINT
    unit = factory.SubFactory(UnitFactory)


class BranchRoleFactory(DjangoModelFactory):
    class Meta:
        model = BranchRole

    branch = factory.SubFactory(PartyBranchFactory)
    cadre = factory.SubFactory(CadreFactory)
    role = BranchRole.Role.MEMBER
    started_on = datetime.date(2022, 1, 1)


class BranchMeetingFactory(DjangoModelFactory):
    class Meta:
        model = BranchMeeting
        skip_postgeneration_save = True

    branch = factory.SubFactory(PartyBranchFactory)
    kind = BranchMeeting.Kind.THEMED_DAY
    held_on = datetime.date(2026, 7, 1)
    topic = "重温入党誓词"


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"志愿服务{n}队")
    kind = Team.Kind.VOLUNTEER
    unit = factory.SubFactory(UnitFactory)


class TeamMembershipFactory(DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    cadre = factory.SubFactory(CadreFactory)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    title = "健康讲座"
    kind = Activity.Kind.HEALTH
    starts_at = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
    unit = factory.SubFactory(UnitFactory)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    cadre = factory.SubFactory(CadreFactory)


class HonourFactory(DjangoModelFactory):
    class Meta:
        model = Honour

    title = "优秀共产党员"
    level = Honour.Level.COUNTY
    year = 2025
    cadre = factory.SubFactory(CadreFactory)


class SuggestionFactory(DjangoModelFactory):
    class Meta:
        model = Suggestion

    cadre = factory.SubFactory(CadreFactory)
    submitted_on = datetime.date(2026, 4, 1)
    category = Suggestion.Category.SOCIETY
    title = "关于增设社区助餐点的建议"
    text = "建议在东关社区增设老年助餐点。"


class PlanRunFactory(DjangoModelFactory):
    class Meta:
        model = "reminders.PlanRun"

    day = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))


class DigestFactory(DjangoModelFactory):
    class Meta:
        model = "reminders.Digest"

    recipient = factory.SubFactory(UserFactory)
    send_on = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    # The end of its day in Asia/Shanghai, as the planner sets it.
    deadline = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(o.send_on, datetime.time(16, 0), tzinfo=datetime.UTC)
    )


class PlanProblemFactory(DjangoModelFactory):
    class Meta:
        model = "reminders.PlanProblem"

    day = datetime.date(2026, 11, 22)
    kind = "birthday"
    cadre = factory.SubFactory(CadreFactory)
    subject_key = factory.LazyAttribute(lambda o: f"cadre:{o.cadre.pk}")
    error = "LunarRangeError: 1900-01-15"


class DeliveryAlertFactory(DjangoModelFactory):
    class Meta:
        model = "reminders.DeliveryAlert"

    day = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    key = factory.LazyAttribute(lambda o: f"digests-failed:{o.day}")


class CalendarFeedFactory(DjangoModelFactory):
    class Meta:
        model = "reminders.CalendarFeed"

    user = factory.SubFactory(UserFactory)
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))


class ReminderItemFactory(DjangoModelFactory):
    class Meta:
        model = "reminders.ReminderItem"

    digest = factory.SubFactory(DigestFactory)
    recipient = factory.SelfAttribute("digest.recipient")
    kind = "birthday"
    cadre = factory.SubFactory(CadreFactory)
    subject_key = factory.LazyAttribute(lambda o: f"cadre:{o.cadre.pk}")
    occurrence = datetime.date(2026, 11, 25)
    planned_for = datetime.date(2026, 11, 22)
    details = factory.LazyAttribute(lambda o: {"name": o.cadre.name, "age": 80})


class ImportJobFactory(DjangoModelFactory):
    """A checked ledger upload, ready to import (the file itself is not needed to show
    its pages)."""

    class Meta:
        model = "ledger.ImportJob"

    user = factory.SubFactory(UserFactory)
    file = "ledger/imports/2026/01/test.xlsx"
    original_name = "台账.xlsx"
    status = "valid"
    total_rows = 1
    processed_rows = 1
    preview = factory.LazyFunction(
        lambda: {"rows": [], "cadres": 1, "contacts": 0, "branch_members": 0}
    )


class BranchAideFactory(DjangoModelFactory):
    class Meta:
        model = "branches.BranchAide"

    branch = factory.SubFactory(PartyBranchFactory)
    user = factory.SubFactory(UserFactory)
    started_on = datetime.date(2026, 1, 1)


class DistributionFactory(DjangoModelFactory):
    class Meta:
        model = "distributions.Distribution"

    kind = "briefing"
    title = factory.Sequence(lambda n: f"情况通报{n}")
    issued_on = datetime.date(2026, 1, 5)
    year = 2026
    unit = factory.SubFactory(UnitFactory)
    audience = "everyone"


class DeliveryFactory(DjangoModelFactory):
    class Meta:
        model = "distributions.Delivery"

    distribution = factory.SubFactory(DistributionFactory)
    cadre = factory.SubFactory(CadreFactory)
    way = "meeting"
    delivered_on = datetime.date(2026, 1, 10)


class CheckupCampaignFactory(DjangoModelFactory):
    class Meta:
        model = "checkups.CheckupCampaign"

    name = factory.Sequence(lambda n: f"离休干部健康体检{n}")
    year = 2026
    audience = "everyone"
    hospitals = "县人民医院\n县中医院"
    opens_on = datetime.date(2026, 5, 1)
    closes_on = datetime.date(2026, 6, 30)


class CheckupFactory(DjangoModelFactory):
    class Meta:
        model = "checkups.Checkup"

    campaign = factory.SubFactory(CheckupCampaignFactory)
    cadre = factory.SubFactory(CadreFactory)
    checked_on = datetime.date(2026, 5, 20)
    hospital = "县人民医院"
    result = "normal"


class AssistanceCaseFactory(DjangoModelFactory):
    """A drafted 特困帮扶 case (tests/assistance/conftest.py takes it further through the
    workflow's services)."""

    class Meta:
        model = "assistance.AssistanceCase"

    cadre = factory.SubFactory(CadreFactory)
    unit = factory.SelfAttribute("cadre.unit")
    category = "medical"
    circumstances = "住院治疗 自付医疗费用较高"
    amount_requested = factory.LazyFunction(lambda: Decimal("3000.00"))
    created_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..unit"))


ASSISTANCE_TEST_DOCUMENT = "cases/test/证明.pdf"


class AssistanceDocumentFactory(DjangoModelFactory):
    """A supporting document whose file is one shared test file in the private storage
    (written once, so test runs leave nothing new behind)."""

    class Meta:
        model = "assistance.AssistanceDocument"
        skip_postgeneration_save = True

    case = factory.SubFactory(AssistanceCaseFactory)
    file = ASSISTANCE_TEST_DOCUMENT
    original_name = "证明.pdf"
    size = 13
    uploaded_by = factory.SelfAttribute("case.created_by")

    @factory.post_generation
    def stored(obj, create, extracted, **kwargs):
        from django.core.files.base import ContentFile

        storage = obj.file.storage
        if create and not storage.exists(obj.file.name):
            storage.save(obj.file.name, ContentFile(b"%PDF-1.4 test"))
