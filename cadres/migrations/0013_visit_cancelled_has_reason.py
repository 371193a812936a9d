from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cadres", "0012_visit_work_items_data")]

    operations = [
        migrations.AddConstraint(
            model_name="visit",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "cancelled"), _negated=True),
                    models.Q(("cancellation_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="visit_cancelled_has_reason",
                violation_error_message="Give the reason for cancelling.",
            ),
        ),
    ]
