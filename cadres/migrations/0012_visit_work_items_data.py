"""Data for visits as work items:

- the occasion of a need's return visit (回访);
- a reason on the visits cancelled before reasons were kept (the death or transfer of
  the cadre cancelled them);
- a planned follow-up visit for each done visit of a cadre on the register that asks for
  a follow-up by a date and has none yet, so that its 跟进 date reaches the to-do list
  and the reminders.
"""

from django.db import migrations

RETURN_VISIT = ("return_visit", "诉求回访", "来信来访答复后回访老干部，了解落实情况。", 90)
EARLIER_CANCELLATION = "此前已取消（老干部去世或转出时自动取消，未记录原因）。"
FOLLOW_UP_NOTE = "跟进此前的走访。"


def seed(apps, schema_editor):
    VisitOccasion = apps.get_model("cadres", "VisitOccasion")
    code, name, description, order = RETURN_VISIT
    VisitOccasion.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "is_mandatory": False,
            "description": description,
            "sort_order": order,
        },
    )


def forward(apps, schema_editor):
    seed(apps, schema_editor)
    Visit = apps.get_model("cadres", "Visit")
    Visit.objects.filter(status="cancelled", cancellation_reason="").update(
        cancellation_reason=EARLIER_CANCELLATION
    )
    pending = Visit.objects.filter(
        status="done",
        follow_up_needed=True,
        follow_up_by__isnull=False,
        cadre__status="active",
        follow_ups__isnull=True,
    )
    Visit.objects.bulk_create(
        [
            Visit(
                cadre_id=visit.cadre_id,
                occasion_id=visit.occasion_id,
                status="planned",
                due_on=visit.follow_up_by,
                mode=visit.mode,
                follow_up_of_id=visit.pk,
                recorded_by_id=visit.recorded_by_id,
                notes=FOLLOW_UP_NOTE,
            )
            for visit in pending.iterator(chunk_size=2000)
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("cadres", "0011_visit_work_items")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
