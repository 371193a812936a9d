"""Demo party branches for ``seed_demo``: one general branch over institutional branches
(one per larger employer) and joint branches, in the source county's proportion of 15
retired-cadre branches and 29 joint branches per 2,155 retirees; committees re-elected a
few years ago, the earlier committee kept as history, and a year of 三会一课."""

from __future__ import annotations

import datetime
import random

from accounts.demo import DemoOrganisation
from cadres.bulk import bulk_insert, bulk_insert_values
from cadres.models import Cadre, CadreStatus, PoliticalStatus

from .models import BranchAide, BranchMeeting, BranchRole, PartyBranch

FEATURES = [
    "红色宣讲团",
    "银龄志愿服务队",
    "夕阳红合唱队",
    "书画研习社",
    "关心下一代工作组",
    "政策宣讲小分队",
    "邻里调解室",
]
TOPICS = {
    BranchMeeting.Kind.GENERAL_MEETING: ["学习党的二十大精神", "年度工作总结", "民主评议党员"],
    BranchMeeting.Kind.COMMITTEE_MEETING: ["研究本月支部工作", "讨论慰问安排", "研究发展作用事项"],
    BranchMeeting.Kind.PARTY_LECTURE: ["讲好红色故事", "新时代老干部的初心使命", "学习党章党规"],
    BranchMeeting.Kind.THEMED_DAY: ["重温入党誓词", "参观红色教育基地", "为群众办实事"],
}


def _scaled(base: int, cadres: int) -> int:
    return max(1, round(base * cadres / 2155))


def seed_branches(
    *, rng: random.Random, cadres: list[Cadre], org: DemoOrganisation, today: datetime.date
) -> list[PartyBranch]:
    members = [
        c
        for c in cadres
        if c.political_status == PoliticalStatus.CPC_MEMBER and c.status == CadreStatus.ON_REGISTER
    ]
    institutional_count = _scaled(15, len(cadres))
    joint_count = _scaled(29, len(cadres))
    general = PartyBranch.objects.create(
        name="县直机关离退休干部党总支",
        kind=PartyBranch.Kind.GENERAL,
        unit=org.bureau,
        founded_on=datetime.date(2009, 7, 1),
        feature="支部+协会",
    )
    branches: list[PartyBranch] = []
    for index in range(institutional_count):
        employer = org.employers[index % len(org.employers)]
        suffix = "" if index < len(org.employers) else f"第{index // len(org.employers) + 1}"
        branches.append(
            PartyBranch(
                name=f"{employer.short_name}离退休干部{suffix}党支部",
                kind=PartyBranch.Kind.INSTITUTIONAL,
                parent=general,
                unit=employer,
                founded_on=datetime.date(rng.randint(1995, 2015), rng.randint(1, 12), 1),
                feature=rng.choice(FEATURES),
            )
        )
    for index in range(joint_count):
        branches.append(
            PartyBranch(
                name=f"离退休干部第{index + 1}联合党支部",
                kind=PartyBranch.Kind.JOINT,
                parent=general,
                unit=org.bureau,
                founded_on=datetime.date(rng.randint(2005, 2020), rng.randint(1, 12), 1),
                feature=rng.choice(FEATURES),
            )
        )
    branches = bulk_insert(PartyBranch, branches)

    # Members of a unit with an institutional branch join it; the rest join a joint branch.
    institutional_by_unit: dict[int, list[PartyBranch]] = {}
    for branch in branches[:institutional_count]:
        institutional_by_unit.setdefault(branch.unit_id, []).append(branch)
    parent_of = {unit.pk: unit.parent_id for unit in org.cadre_units}
    joint = branches[institutional_count:]
    branch_members: dict[int, list[Cadre]] = {b.pk: [] for b in branches}
    # The general branch has its own committee (总支委员会), not an empty list at the top
    # of the branch list: three of the younger members.
    general_committee = sorted(
        (c for c in members if c.age_on(today) <= 72), key=lambda c: (c.birth_date, c.pk)
    )[-3:]
    general_ids = {c.pk for c in general_committee}
    for cadre in members:
        if cadre.pk in general_ids:
            continue
        unit_id = cadre.unit_id
        home = institutional_by_unit.get(unit_id) or institutional_by_unit.get(parent_of[unit_id])
        branch = rng.choice(home) if home and rng.random() < 0.8 else rng.choice(joint)
        branch_members[branch.pk].append(cadre)

    roles: list[BranchRole] = []
    for branch in branches:
        people = branch_members[branch.pk]
        elected = _plus_years_safe(today, -rng.randint(1, 4)) - datetime.timedelta(
            days=rng.randint(0, 300)
        )
        term_end = _plus_years_safe(elected, 5)
        # Committee members are the younger, fitter members (the source bureau lowered
        # the secretaries' average age from 71 to 69 and the committee's to 67).
        elected = max(elected, branch.founded_on or elected)
        term_end = _plus_years_safe(elected, 5)
        candidates = sorted(
            (
                c
                for c in people
                if c.age_on(today) <= 76 and (c.retirement_date or elected) <= elected
            ),
            key=lambda c: c.age_on(today) + rng.randint(-6, 6),
        )
        committee = candidates[: rng.randint(3, 5)]
        committee_ids = {c.pk for c in committee}
        for position, cadre in enumerate(committee):
            role = (
                BranchRole.Role.SECRETARY
                if position == 0
                else BranchRole.Role.DEPUTY
                if position == 1
                else BranchRole.Role.COMMITTEE
            )
            roles.append(
                BranchRole(
                    branch=branch,
                    cadre=cadre,
                    role=role,
                    started_on=elected,
                    term_ends_on=term_end,
                )
            )
        for cadre in people:
            if cadre.pk not in committee_ids:
                roles.append(
                    BranchRole(
                        branch=branch,
                        cadre=cadre,
                        role=BranchRole.Role.MEMBER,
                        started_on=max(elected, cadre.retirement_date or elected),
                    )
                )
        # The committee before the re-election, kept as history.
        previous_start = max(_plus_years_safe(elected, -5), branch.founded_on or elected)
        previous = [
            c
            for c in people
            if c.pk not in committee_ids and (c.retirement_date or elected) <= previous_start
        ][:2]
        for position, cadre in enumerate(previous if previous_start < elected else []):
            roles.append(
                BranchRole(
                    branch=branch,
                    cadre=cadre,
                    role=BranchRole.Role.SECRETARY if position == 0 else BranchRole.Role.DEPUTY,
                    started_on=previous_start,
                    term_ends_on=elected,
                    ended_on=elected,
                )
            )
    general_elected = _plus_years_safe(today, -2)
    for position, cadre in enumerate(reversed(general_committee)):
        roles.append(
            BranchRole(
                branch=general,
                cadre=cadre,
                role=(BranchRole.Role.SECRETARY, BranchRole.Role.DEPUTY)[position]
                if position < 2
                else BranchRole.Role.COMMITTEE,
                started_on=max(general_elected, cadre.retirement_date or general_elected),
                term_ends_on=_plus_years_safe(general_elected, 5),
            )
        )
    bulk_insert(BranchRole, roles)
    _seed_meetings(
        rng=rng, branches=branches, branch_members=branch_members, roles=roles, today=today
    )
    _seed_aides(branches=branches, org=org, today=today)
    return [general, *branches]


# 在职干部协助: the first few branches each have a serving staff member of their unit.
AIDED_BRANCHES = 6
AIDE_NOTES = ["党建指导员", "联系支部，参加主题党日", "协助组织生活、送学上门"]


def _seed_aides(*, branches, org: DemoOrganisation, today: datetime.date) -> None:
    aides = []
    for index, branch in enumerate(branches[:AIDED_BRANCHES]):
        staff = org.staff_by_unit.get(branch.unit_id)
        if staff is None and org.bureau_staff:
            staff = org.bureau_staff[index % len(org.bureau_staff)]
        if staff is None:
            continue
        aides.append(
            BranchAide(
                branch=branch,
                user=staff,
                started_on=_plus_years_safe(today, -1),
                note=AIDE_NOTES[index % len(AIDE_NOTES)],
            )
        )
    bulk_insert(BranchAide, aides)


def _plus_years_safe(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _seed_meetings(*, rng, branches, branch_members, roles, today) -> None:
    """Quarterly general meetings and party lectures, monthly committee meetings and
    themed party days over the last year, with attendance."""
    committee_of: dict[int, list[int]] = {}
    for role in roles:
        if role.ended_on is None and role.role != BranchRole.Role.MEMBER:
            committee_of.setdefault(role.branch_id, []).append(role.cadre_id)
    meetings: list[BranchMeeting] = []
    attendees: list[list[int]] = []
    for branch in branches:
        people = [c.pk for c in branch_members[branch.pk]]
        for months_ago in range(12):
            month_index = today.year * 12 + today.month - 1 - months_ago
            first = datetime.date(month_index // 12, month_index % 12 + 1, 1)
            schedule = [
                (BranchMeeting.Kind.COMMITTEE_MEETING, committee_of.get(branch.pk, [])),
                (BranchMeeting.Kind.THEMED_DAY, []),
            ]
            if first.month % 3 == 1:
                schedule += [
                    (BranchMeeting.Kind.GENERAL_MEETING, people),
                    (BranchMeeting.Kind.PARTY_LECTURE, []),
                ]
            for kind, invited in schedule:
                held = first + datetime.timedelta(days=rng.randint(0, 25))
                if held > today:
                    continue
                meetings.append(
                    BranchMeeting(
                        branch=branch,
                        kind=kind,
                        held_on=held,
                        topic=rng.choice(TOPICS.get(kind, ["支部学习"])),
                        place="老干部活动中心",
                    )
                )
                attendees.append([pk for pk in invited if rng.random() < 0.85])
    bulk_insert(BranchMeeting, meetings)
    bulk_insert_values(
        BranchMeeting.attendees.through,
        ["branchmeeting", "cadre"],
        (
            (meeting.pk, cadre_id)
            for meeting, present in zip(meetings, attendees, strict=True)
            for cadre_id in present
        ),
    )
