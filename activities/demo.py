"""Demo teams, activities, honours and suggestions for ``seed_demo``: an art troupe of 9
groups, a sports association of 11 teams and volunteer teams, as in the source reports,
with a year of activities (about 40 volunteer events) and their attendance."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.demo import DemoOrganisation
from branches.models import PartyBranch
from cadres.bulk import bulk_insert
from cadres.models import Cadre, CadreStatus

from .models import Activity, Attendance, Honour, Suggestion, Team, TeamMembership

ART_GROUPS = [
    "合唱队",
    "舞蹈队",
    "京剧队",
    "器乐队",
    "书法组",
    "绘画组",
    "摄影组",
    "诗词组",
    "模特队",
]
SPORTS_TEAMS = [
    "门球队",
    "乒乓球队",
    "太极拳队",
    "健步走队",
    "羽毛球队",
    "钓鱼队",
    "柔力球队",
    "气排球队",
    "象棋队",
    "桥牌队",
    "八段锦队",
]
ACTIVITY_TITLES = {
    Activity.Kind.STUDY: "学习会：{}",
    Activity.Kind.CULTURE: "文艺汇演：{}",
    Activity.Kind.SPORTS: "体育比赛：{}",
    Activity.Kind.SENIOR_UNIVERSITY: "老年大学课程：{}",
    Activity.Kind.BRIEFING: "县情通报会：{}",
    Activity.Kind.SITE_VISIT: "参观考察：{}",
    Activity.Kind.HEALTH: "健康讲座：{}",
    Activity.Kind.FESTIVAL: "节日联欢：{}",
    Activity.Kind.VOLUNTEER: "志愿服务：{}",
    Activity.Kind.FORUM: "建言献策座谈会：{}",
}
SUBJECTS = ["春季", "夏季", "秋季", "冬季", "重点项目", "乡村振兴", "文明城市创建", "红色传承"]
PLACES = ["老干部活动中心", "老年大学教室", "县体育馆", "城关镇东关社区", "县文化馆"]
TZ = ZoneInfo("Asia/Shanghai")


def seed_teams(
    *,
    rng: random.Random,
    cadres: list[Cadre],
    branches: list[PartyBranch],
    org: DemoOrganisation,
    today: datetime.date,
) -> list[Team]:
    sub_branches = [b for b in branches if b.kind != PartyBranch.Kind.GENERAL]
    able = [c for c in cadres if c.status == CadreStatus.ON_REGISTER and c.age_on(today) < 85]
    volunteer_count = max(15, round(15 * len(cadres) / 2155))
    names = (
        [(f"老年艺术团{name}", Team.Kind.ART) for name in ART_GROUPS]
        + [(f"老年体协{name}", Team.Kind.SPORTS) for name in SPORTS_TEAMS]
        + [
            (f"爱晚志愿服务{index}队", Team.Kind.VOLUNTEER)
            for index in range(1, volunteer_count + 1)
        ]
        + [("老年大学书画研修班", Team.Kind.STUDY), ("理论学习小组", Team.Kind.STUDY)]
    )
    teams = Team.objects.bulk_create(
        [
            Team(
                name=name,
                kind=kind,
                unit=org.bureau,
                branch=rng.choice(sub_branches) if sub_branches else None,
                founded_on=datetime.date(rng.randint(2008, 2020), rng.randint(1, 12), 1),
            )
            for name, kind in names
        ]
    )
    memberships = []
    for team in teams:
        size = 35 if team.kind == Team.Kind.VOLUNTEER else rng.randint(12, 30)
        for position, cadre in enumerate(rng.sample(able, min(size, len(able)))):
            memberships.append(
                TeamMembership(
                    team=team,
                    cadre=cadre,
                    is_leader=position == 0,
                    joined_on=max(team.founded_on, cadre.retirement_date or team.founded_on),
                )
            )
    bulk_insert(TeamMembership, memberships)
    return teams


def seed_activities(
    *,
    rng: random.Random,
    cadres: list[Cadre],
    teams: list[Team],
    org: DemoOrganisation,
    today: datetime.date,
) -> int:
    able = [c for c in cadres if c.status == CadreStatus.ON_REGISTER and c.age_on(today) < 88]
    members_of: dict[int, list[int]] = {}
    for membership in TeamMembership.objects.filter(team__in=teams).values_list(
        "team_id", "cadre_id"
    ):
        members_of.setdefault(membership[0], []).append(membership[1])
    volunteer_teams = [t for t in teams if t.kind == Team.Kind.VOLUNTEER]
    scale = max(1, round(len(cadres) / 2155))
    plan = [(Activity.Kind.VOLUNTEER, 40 * scale)] + [
        (kind, rng.randint(6, 16) * scale)
        for kind in Activity.Kind.values
        if kind != Activity.Kind.VOLUNTEER
    ]
    activities: list[Activity] = []
    invited: list[list[int]] = []
    for kind, count in plan:
        for _ in range(count):
            day = today - datetime.timedelta(days=rng.randint(-30, 360))
            start = datetime.datetime.combine(day, datetime.time(rng.choice([9, 14, 15])), TZ)
            team = rng.choice(volunteer_teams) if kind == Activity.Kind.VOLUNTEER else None
            activities.append(
                Activity(
                    title=ACTIVITY_TITLES[kind].format(rng.choice(SUBJECTS)),
                    kind=kind,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=rng.choice([2, 3])),
                    place=rng.choice(PLACES),
                    unit=rng.choice([org.bureau, *org.employers[:5]]),
                    organiser="县委老干部局",
                    team=team,
                    capacity=rng.choice([None, 30, 50, 80]),
                    outcome="活动圆满完成。" if day < today else "",
                )
            )
            if team is not None:
                members = members_of.get(team.pk, [])
                invited.append(rng.sample(members, min(20, len(members))))
            else:
                invited.append(
                    [c.pk for c in rng.sample(able, min(rng.randint(10, 40), len(able)))]
                )
    bulk_insert(Activity, activities)
    attendances = []
    for activity, people in zip(activities, invited, strict=True):
        past = activity.starts_at.date() < today
        for cadre_id in people:
            came = past and rng.random() < 0.85
            status = (
                Attendance.Status.ATTENDED
                if came
                else Attendance.Status.ABSENT
                if past
                else Attendance.Status.REGISTERED
            )
            hours = (
                Decimal(rng.choice([2, 3, 4]))
                if came and activity.kind == Activity.Kind.VOLUNTEER
                else Decimal(0)
            )
            attendances.append(
                Attendance(
                    activity=activity, cadre_id=cadre_id, status=status, volunteer_hours=hours
                )
            )
    bulk_insert(Attendance, attendances)
    _seed_suggestions(rng=rng, able=able, activities=activities, today=today, scale=scale)
    return len(activities)


def _seed_suggestions(*, rng, able, activities, today, scale) -> None:
    if not able:
        return
    forums = [a for a in activities if a.kind == Activity.Kind.FORUM and a.starts_at.date() < today]
    suggestions = []
    for _ in range(30 * scale):
        status = rng.choice(list(Suggestion.Status.values))
        forum = rng.choice(forums) if forums else None
        suggestions.append(
            Suggestion(
                cadre=rng.choice(able),
                submitted_on=forum.starts_at.date() if forum else today,
                category=rng.choice(list(Suggestion.Category.values)),
                title=f"关于{rng.choice(SUBJECTS)}工作的建议",
                text="建议进一步加强统筹协调，发挥老同志经验优势。",
                status=status,
                forwarded_to="县委办公室" if status != Suggestion.Status.RECEIVED else "",
                forwarded_on=today if status != Suggestion.Status.RECEIVED else None,
                response="已转相关部门研究采纳。" if status == Suggestion.Status.ANSWERED else "",
                activity=forum,
            )
        )
    bulk_insert(Suggestion, suggestions)


def seed_honours(
    *,
    rng: random.Random,
    cadres: list[Cadre],
    branches: list[PartyBranch],
    teams: list[Team],
    today: datetime.date,
) -> int:
    """25 collective and 22 individual honours last year, as the source bureau had."""
    year = today.year - 1
    levels = list(Honour.Level.values)
    honours = []
    for index in range(25):
        recipient = rng.choice(branches) if index % 2 else rng.choice(teams)
        honours.append(
            Honour(
                title=rng.choice(["先进基层党组织", "五好党支部", "优秀志愿服务团队", "文明团队"]),
                level=rng.choice(levels),
                year=year,
                awarded_by="县委老干部局",
                branch=recipient if isinstance(recipient, PartyBranch) else None,
                team=recipient if isinstance(recipient, Team) else None,
            )
        )
    living = [c for c in cadres if c.status == CadreStatus.ON_REGISTER]
    for cadre in rng.sample(living, min(22, len(living))):
        honours.append(
            Honour(
                title=rng.choice(["优秀共产党员", "最美银龄志愿者", "老有所为先进个人"]),
                level=rng.choice(levels),
                year=year,
                awarded_by="县委组织部",
                cadre=cadre,
            )
        )
    Honour.objects.bulk_create(honours)
    return len(honours)
