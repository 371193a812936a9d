from django.db import migrations

import cadres.encryption


class Migration(migrations.Migration):
    dependencies = [("cadres", "0008_encrypt_id_numbers")]

    operations = [
        migrations.AlterField(
            model_name="cadre",
            name="id_number_hash",
            field=cadres.encryption.LookupHashField(source="id_number", unique=True),
        ),
        migrations.AlterField(
            model_name="cadre",
            name="id_number_tail_hash",
            field=cadres.encryption.LookupHashField(db_index=True, source="id_number", tail=4),
        ),
    ]
