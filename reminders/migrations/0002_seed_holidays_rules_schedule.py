"""Seed the holidays (each with its own visit occasion), the reminder rules and the
daily schedule (07:30 Asia/Shanghai). All of it is data, editable in admin."""

from django.db import migrations

HOLIDAYS = [
    # code, name, calendar, month, day, audience, min_age, lead days
    ("spring_festival", "春节", "lunar", 1, 1, "everyone", None, 21),
    ("lantern_festival", "元宵节", "lunar", 1, 15, "lixiu", None, 7),
    ("party_founding", "七一建党节", "solar", 7, 1, "party", None, 14),
    ("mid_autumn", "中秋节", "lunar", 8, 15, "aged", 80, 10),
    ("national_day", "国庆节", "solar", 10, 1, "lixiu", None, 10),
    ("double_ninth", "重阳节", "lunar", 9, 9, "everyone", None, 14),
]

RULES = [
    # kind, lead days, threshold, threshold lixiu, threshold tuixiu
    ("birthday", 7, None, None, None),
    ("political_birthday", 7, None, None, None),
    ("holiday_visit", 14, None, None, None),
    ("overdue_visit", 0, None, 60, 180),
    ("hospital_visit", 0, 3, None, None),
    ("care_need_overdue", 0, None, None, None),
    ("branch_term_ending", 60, None, None, None),
]

DAILY_TASK_NAME = "每日提醒：计划并发送"


def seed(apps, schema_editor):
    VisitOccasion = apps.get_model("cadres", "VisitOccasion")
    Holiday = apps.get_model("reminders", "Holiday")
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for order, (code, name, calendar, month, day, audience, min_age, lead) in enumerate(
        HOLIDAYS, 1
    ):
        occasion, _ = VisitOccasion.objects.get_or_create(
            code=code,
            defaults={
                "name": f"{name}慰问",
                "is_mandatory": True,
                "description": f"{name}前走访慰问。",
                "sort_order": 25 + order,
            },
        )
        Holiday.objects.get_or_create(
            name=name,
            defaults={
                "calendar": calendar,
                "month": month,
                "day": day,
                "audience": audience,
                "min_age": min_age,
                "lead_days": lead,
                "occasion": occasion,
                "sort_order": order * 10,
            },
        )
    for kind, lead, threshold, lixiu, tuixiu in RULES:
        ReminderRule.objects.get_or_create(
            kind=kind,
            defaults={
                "lead_days": lead,
                "threshold_days": threshold,
                "threshold_days_lixiu": lixiu,
                "threshold_days_tuixiu": tuixiu,
            },
        )
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=DAILY_TASK_NAME,
        defaults={
            "task": "reminders.tasks.plan_daily_reminders",
            "crontab": schedule,
            "description": "每天 07:30 计划当天到期的提醒，并给每位工作人员发送一封汇总邮件。",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("cadres", "0003_cadre_health_changed_on_and_more"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
