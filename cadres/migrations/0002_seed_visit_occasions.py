"""Seed the visit occasions: 五必访 plus birthday, political birthday and routine visits.

Occasions are data, so each bureau may rename them or add its own in admin; reminders find
them by ``code``.
"""

from django.db import migrations

OCCASIONS = [
    ("hospital", "住院或重病", True, "住院、重病期间必访。"),
    ("milestone_birthday", "重要生日", True, "逢十生日（70、80、90、100岁）及90岁以上每年生日。"),
    ("holiday", "重大节日", True, "春节、重阳等重大节日慰问。"),
    ("family_difficulty", "家庭重大困难或变故", True, "家庭遭遇重大困难、变故或亲属去世。"),
    ("condolence", "去世吊唁", True, "老干部去世后慰问家属。"),
    ("birthday", "生日祝寿", False, "一般生日慰问。"),
    ("political_birthday", "政治生日", False, "入党纪念日，为老党员过政治生日。"),
    ("routine", "日常走访", False, "日常联系走访、了解情况。"),
]


def seed(apps, schema_editor):
    VisitOccasion = apps.get_model("cadres", "VisitOccasion")
    for order, (code, name, mandatory, description) in enumerate(OCCASIONS, 1):
        VisitOccasion.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "is_mandatory": mandatory,
                "description": description,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
