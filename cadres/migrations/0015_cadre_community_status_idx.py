from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cadres", "0014_name_pinyin_syllables")]

    operations = [
        migrations.AddIndex(
            model_name="cadre",
            index=models.Index(
                fields=["residential_community", "status"], name="cadre_community_status_idx"
            ),
        ),
    ]
