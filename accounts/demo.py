"""Demo units and staff accounts for ``seed_demo``: a county retired-cadre bureau with
its departments and the county bodies its retirees come from."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from .models import Unit, User

DEMO_BUREAU_CODE = "DEMO-BUREAU"

DEPARTMENTS = ["综合科", "离休干部服务科", "退休干部服务科"]

# County bodies (原工作单位 / 供养关系所在单位); some have sub-units, so that unit staff of
# the parent see the sub-units' retirees too.
EMPLOYERS = [
    ("县委办公室", []),
    ("县政府办公室", []),
    ("县委组织部", []),
    ("县委宣传部", []),
    ("县发展和改革局", []),
    ("县教育局", ["县第一中学", "县实验小学"]),
    ("县公安局", []),
    ("县民政局", []),
    ("县财政局", []),
    ("县人力资源和社会保障局", []),
    ("县自然资源局", []),
    ("县住房和城乡建设局", []),
    ("县交通运输局", []),
    ("县水利局", []),
    ("县农业农村局", []),
    ("县商务局", []),
    ("县文化和旅游局", []),
    ("县卫生健康局", ["县人民医院", "县中医医院"]),
    ("县市场监督管理局", []),
    ("县统计局", []),
    ("县林业局", []),
    ("县审计局", []),
    ("县人民法院", []),
    ("县人民检察院", []),
    ("县总工会", []),
    ("城关镇人民政府", []),
    ("长安镇人民政府", []),
    ("老县镇人民政府", []),
]


@dataclass
class DemoOrganisation:
    bureau: Unit
    departments: list[Unit]
    employers: list[Unit]  # top-level employer units, each with its own staff account
    cadre_units: list[Unit]  # every unit a retiree may belong to (employers and sub-units)
    staff_by_unit: dict[int, User] = field(default_factory=dict)
    bureau_staff: list[User] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, unit


def seed_units_and_users(*, password: str) -> DemoOrganisation:
    """Create the bureau, its departments, the employer units and one staff account per
    role (and one per employer unit)."""
    bureau = Unit.objects.create(
        name="县委老干部局", short_name="老干部局", code=DEMO_BUREAU_CODE, kind=Unit.Kind.BUREAU
    )
    departments = [
        Unit.objects.create(
            name=name,
            code=f"DEMO-D{index:02d}",
            kind=Unit.Kind.DEPARTMENT,
            parent=bureau,
            sort_order=index,
        )
        for index, name in enumerate(DEPARTMENTS, 1)
    ]
    employers: list[Unit] = []
    cadre_units: list[Unit] = []
    for index, (name, children) in enumerate(EMPLOYERS, 1):
        unit = Unit.objects.create(
            name=name,
            short_name=name,  # "县委办公室", not "委办公室": branch names are built on it
            code=f"DEMO-U{index:02d}",
            kind=Unit.Kind.EMPLOYER,
            parent=bureau,
            sort_order=100 + index,
        )
        employers.append(unit)
        cadre_units.append(unit)
        for child_index, child in enumerate(children, 1):
            cadre_units.append(
                Unit.objects.create(
                    name=child,
                    code=f"DEMO-U{index:02d}-{child_index}",
                    kind=Unit.Kind.EMPLOYER,
                    parent=unit,
                    sort_order=child_index,
                )
            )

    hashed = make_password(password)
    org = DemoOrganisation(
        bureau=bureau, departments=departments, employers=employers, cadre_units=cadre_units
    )

    def account(username: str, full_name: str, role: str, unit: Unit | None, **extra) -> User:
        user = User.objects.create(
            username=username,
            full_name=full_name,
            role=role,
            unit=unit,
            password=hashed,
            email=f"{username}@yinling.example",
            **extra,
        )
        org.logins.append((username, user.get_role_display(), unit.name if unit else ""))
        return user

    account(
        "admin",
        "系统管理员",
        User.Role.ADMINISTRATOR,
        None,
        is_staff=True,
        is_superuser=True,
        receives_reminders=False,
    )
    for index, (name, department) in enumerate(
        zip(["王建华", "李秀英", "陈志强"], departments, strict=True), 1
    ):
        org.bureau_staff.append(
            account(
                "bureau" if index == 1 else f"bureau{index}",
                name,
                User.Role.BUREAU_STAFF,
                department,
                is_staff=True,
            )
        )
    for index, unit in enumerate(employers, 1):
        org.staff_by_unit[unit.pk] = account(
            "unit" if index == 1 else f"unit{index:02d}",
            f"{unit.name}联络员",
            User.Role.UNIT_STAFF,
            unit,
            is_staff=True,
        )
    return org


def demo_already_seeded() -> bool:
    return Unit.objects.filter(code=DEMO_BUREAU_CODE).exists()
