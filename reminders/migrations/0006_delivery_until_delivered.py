"""Delivery until delivered: each digest carries its next attempt time and a deadline
(existing rows: the end of their day); the records the plan skipped; the alert mail to
administrators; and the sweep that sends what is due every two minutes (a schedule in
the database, editable in admin like the daily plan)."""

import datetime
import zoneinfo

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SWEEP_TASK_NAME = "提醒邮件：发送到期的和重试"


def fill_deadlines(apps, schema_editor):
    """The end of each digest's day (Asia/Shanghai), the default deadline."""
    Digest = apps.get_model("reminders", "Digest")
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    days = (
        Digest.objects.filter(deadline__isnull=True)
        .order_by("send_on")
        .values_list("send_on", flat=True)
        .distinct()
    )
    for day in list(days):
        end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), zone)
        Digest.objects.filter(send_on=day, deadline__isnull=True).update(deadline=end)


def seed_sweep(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=2, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP_TASK_NAME,
        defaults={
            "task": "reminders.tasks.send_due_reminders",
            "interval": every,
            "description": (
                "每两分钟发送到期的提醒邮件：发送失败的按退避时间重试，直到当天结束；"
                "工作进程中断后仍处于“发送中”的邮件，过一段时间重新发送。"
            ),
        },
    )


def unseed_sweep(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=SWEEP_TASK_NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0010_id_number_disclosure"),
        ("reminders", "0005_visit_reminder_kinds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeliveryAlert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=60, unique=True, verbose_name="key")),
                ("day", models.DateField(verbose_name="day of the failed digests")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                (
                    "next_attempt_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="next attempt at"
                    ),
                ),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                (
                    "claimed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="claimed at"),
                ),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                ("recipients", models.TextField(blank=True, verbose_name="sent to")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ],
            options={
                "verbose_name": "delivery alert",
                "verbose_name_plural": "delivery alerts",
                "ordering": ["-day"],
            },
        ),
        migrations.CreateModel(
            name="PlanProblem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day planned")),
                (
                    "kind",
                    models.CharField(
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
                ("subject_key", models.CharField(max_length=60, verbose_name="subject")),
                ("error", models.TextField(verbose_name="error")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ],
            options={
                "verbose_name": "skipped record",
                "verbose_name_plural": "skipped records",
                "ordering": ["-day", "kind", "id"],
            },
        ),
        migrations.AddField(
            model_name="digest",
            name="deadline",
            field=models.DateTimeField(
                help_text="After this time the next failure is final.",
                null=True,
                verbose_name="deliver by",
            ),
        ),
        migrations.AddField(
            model_name="digest",
            name="next_attempt_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="next attempt at"
            ),
        ),
        migrations.RunPython(fill_deadlines, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="digest",
            name="deadline",
            field=models.DateTimeField(
                help_text="After this time the next failure is final.", verbose_name="deliver by"
            ),
        ),
        migrations.AddIndex(
            model_name="digest",
            index=models.Index(
                condition=models.Q(("status", "queued")),
                fields=["next_attempt_at"],
                name="digest_queued_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="digest",
            index=models.Index(
                condition=models.Q(("status", "sending")),
                fields=["claimed_at"],
                name="digest_sending_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="deliveryalert",
            index=models.Index(
                condition=models.Q(("status", "queued")),
                fields=["next_attempt_at"],
                name="alert_queued_due_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="deliveryalert",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "sent"), _negated=True),
                    ("sent_at__isnull", False),
                    _connector="OR",
                ),
                name="delivery_alert_sent_has_time",
            ),
        ),
        migrations.AddField(
            model_name="planproblem",
            name="cadre",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="plan_problems",
                to="cadres.cadre",
                verbose_name="cadre",
            ),
        ),
        migrations.AddConstraint(
            model_name="planproblem",
            constraint=models.UniqueConstraint(
                fields=("day", "kind", "subject_key"), name="plan_problem_once_per_day"
            ),
        ),
        migrations.RunPython(seed_sweep, unseed_sweep),
    ]
