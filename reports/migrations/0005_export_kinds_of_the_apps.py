# The export log's kinds for the downloads of the funds, assistance, checkups and
# distributions pages (their reports' .xlsx, the documents and the report scans).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_scorecard_weights"),
    ]

    operations = [
        migrations.AlterField(
            model_name="exportrecord",
            name="kind",
            field=models.CharField(
                choices=[
                    ("cadres", "Cadre ledger"),
                    ("visits", "Visits"),
                    ("attendance", "Activity attendance"),
                    ("report", "Statistical report"),
                    ("funds_report", "慰问经费 report"),
                    ("funds_reach", "Per-head amounts reached"),
                    ("assistance_report", "Assistance report"),
                    ("checkup_list", "Checkup campaign list"),
                    ("coverage", "Distribution coverage"),
                    ("document", "Document or scan"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
    ]
