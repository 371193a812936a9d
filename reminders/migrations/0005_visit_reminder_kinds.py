"""Reminder kinds for planned visits (待办走访): visits planned as such (the condolence
visit first), follow-ups by their 跟进 date and return visits (回访) after an answered
need — each a rule, editable in admin like the others."""

from django.db import migrations, models

RULES = [
    # kind, lead days: a planned visit is reminded a few days before it is due (the
    # condolence visit, due three days after the news, the morning after); a follow-up
    # and a return visit on their day.
    ("planned_visit", 3),
    ("follow_up_visit", 0),
    ("return_visit", 0),
]


def seed(apps, schema_editor):
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    for kind, lead in RULES:
        ReminderRule.objects.get_or_create(kind=kind, defaults={"lead_days": lead})


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0004_calendarfeed"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalreminderrule",
            name="kind",
            field=models.CharField(
                choices=[
                    ("planned_visit", "Planned visit due"),
                    ("follow_up_visit", "Follow-up due"),
                    ("return_visit", "Return visit due"),
                    ("birthday", "Birthday"),
                    ("political_birthday", "Political birthday"),
                    ("holiday_visit", "Holiday visit"),
                    ("overdue_visit", "Visit overdue"),
                    ("hospital_visit", "In hospital, not visited"),
                    ("care_need_overdue", "Care need past due"),
                    ("branch_term_ending", "Branch term ending"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="reminderitem",
            name="kind",
            field=models.CharField(
                choices=[
                    ("planned_visit", "Planned visit due"),
                    ("follow_up_visit", "Follow-up due"),
                    ("return_visit", "Return visit due"),
                    ("birthday", "Birthday"),
                    ("political_birthday", "Political birthday"),
                    ("holiday_visit", "Holiday visit"),
                    ("overdue_visit", "Visit overdue"),
                    ("hospital_visit", "In hospital, not visited"),
                    ("care_need_overdue", "Care need past due"),
                    ("branch_term_ending", "Branch term ending"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="reminderrule",
            name="kind",
            field=models.CharField(
                choices=[
                    ("planned_visit", "Planned visit due"),
                    ("follow_up_visit", "Follow-up due"),
                    ("return_visit", "Return visit due"),
                    ("birthday", "Birthday"),
                    ("political_birthday", "Political birthday"),
                    ("holiday_visit", "Holiday visit"),
                    ("overdue_visit", "Visit overdue"),
                    ("hospital_visit", "In hospital, not visited"),
                    ("care_need_overdue", "Care need past due"),
                    ("branch_term_ending", "Branch term ending"),
                ],
                max_length=20,
                unique=True,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
