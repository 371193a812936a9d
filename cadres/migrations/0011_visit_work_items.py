"""Visits as work items: a follow-up is a planned visit of its own, a need's return
visit (回访) is linked to the need, and a cancelled visit keeps its reason."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0010_id_number_disclosure"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalvisit",
            name="cancellation_reason",
            field=models.TextField(blank=True, verbose_name="reason for cancelling"),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="care_need",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="A return visit (回访) to the cadre after their need was answered.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cadres.careneed",
                verbose_name="return visit for the need",
            ),
        ),
        migrations.AddField(
            model_name="historicalvisit",
            name="follow_up_of",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cadres.visit",
                verbose_name="follow-up of",
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="cancellation_reason",
            field=models.TextField(blank=True, verbose_name="reason for cancelling"),
        ),
        migrations.AddField(
            model_name="visit",
            name="care_need",
            field=models.ForeignKey(
                blank=True,
                help_text="A return visit (回访) to the cadre after their need was answered.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="return_visits",
                to="cadres.careneed",
                verbose_name="return visit for the need",
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="follow_up_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="follow_ups",
                to="cadres.visit",
                verbose_name="follow-up of",
            ),
        ),
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(
                condition=models.Q(("follow_up_needed", True)),
                fields=["follow_up_by"],
                name="visit_follow_up_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="visit",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("follow_up_of__isnull", True), ("care_need__isnull", True), _connector="OR"
                ),
                name="visit_follow_up_or_return_visit",
            ),
        ),
    ]
