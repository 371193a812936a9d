"""Names sort and are found by pinyin: the full pinyin is stored syllable by syllable, so
that every 陈 (chen …) comes before every 程 (cheng …), and what is typed — run together
or apart, whole or cut short — is read back as syllables."""

import importlib
import types

import pytest
from django.db import connection
from django.urls import reverse

from cadres.models import Cadre
from cadres.pinyin import name_pinyin, pinyin_prefixes, pinyin_sort_key
from tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db
REGISTRY = reverse("cadres:registry")
CHEN_AND_CHENG = ["程刚", "陈建国", "程安", "陈子昂", "陈", "谌力", "陈刚"]


def test_full_pinyin_is_stored_by_syllable():
    assert name_pinyin("陈建国") == ("chen jian guo", "cjg")
    assert name_pinyin("程刚") == ("cheng gang", "cg")
    # Surnames read differently from the character's usual reading.
    assert name_pinyin("单雄信") == ("shan xiong xin", "sxx")
    assert name_pinyin("吕梁") == ("lv liang", "ll")


def test_every_chen_sorts_before_every_cheng():
    ordered = sorted(CHEN_AND_CHENG, key=pinyin_sort_key)
    assert ordered == ["陈", "陈刚", "陈建国", "谌力", "陈子昂", "程安", "程刚"]
    # Run together, 陈建国 ("chenjianguo") would come after 程刚 ("chenggang").
    assert "chenjianguo" > "chenggang"


@pytest.mark.parametrize(
    ("typed", "readings"),
    [
        ("chenj", ["chen j", "chenj"]),
        ("chenjianguo", ["chen jian guo"]),
        ("chen jian", ["chen jian"]),
        ("ZhangS", ["zhang s", "zhangs"]),
        ("xian", ["xian", "xi an", "xia n"]),
        ("zy", ["zy"]),
    ],
)
def test_typed_letters_are_read_as_syllables(typed, readings):
    found = pinyin_prefixes(typed)
    assert set(readings) <= set(found)
    assert len(found) <= 13


def test_a_long_string_of_letters_is_read_in_bounded_time():
    assert len(pinyin_prefixes("a" * 100)) <= 13
    assert len(pinyin_prefixes("xianxianxianxianxianxianxian")) <= 13


def test_registry_lists_names_in_pinyin_order(client, unit_a):
    for name in CHEN_AND_CHENG:
        CadreFactory(name=name, unit=unit_a)
    client.force_login(UserFactory(unit=unit_a))
    listed = [cadre.name for cadre in client.get(REGISTRY).context["page"]]
    assert listed == ["陈", "陈刚", "陈建国", "谌力", "陈子昂", "程安", "程刚"]
    backwards = client.get(REGISTRY, {"sort": "-name"}).context["page"]
    assert [cadre.name for cadre in backwards] == listed[::-1]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("chenjianguo", ["陈建国"]),
        ("chen jian guo", ["陈建国"]),
        ("chenj", ["陈建国"]),
        ("Chen Jian", ["陈建国"]),
        ("cjg", ["陈建国"]),
        ("cheng", ["程刚"]),
        ("chenggang", ["程刚"]),
        ("chen", ["陈建国", "程刚", "陈子昂"]),
        ("chen z", ["陈子昂"]),
        ("zhangsan", []),
    ],
)
def test_registry_search_reads_pinyin_with_or_without_spaces(client, unit_a, typed, expected):
    for name in ["陈建国", "程刚", "陈子昂", "张珊珊"]:
        CadreFactory(name=name, unit=unit_a)
    client.force_login(UserFactory(unit=unit_a))
    found = [cadre.name for cadre in client.get(REGISTRY, {"q": typed}).context["page"]]
    assert sorted(found) == sorted(expected)


def test_picker_and_admin_search_read_pinyin_too(client, unit_a, superuser):
    chen = CadreFactory(name="陈建国", unit=unit_a)
    CadreFactory(name="程刚", unit=unit_a)
    client.force_login(UserFactory(unit=unit_a))
    picked = client.get(reverse("cadres:picker"), {"q": "chenjianguo"}).content.decode()
    assert "陈建国" in picked and "程刚" not in picked
    client.force_login(superuser)
    changelist = reverse("admin:cadres_cadre_changelist")
    for typed in ("chenjianguo", "chen jian", "cjg", "陈建"):
        found = client.get(changelist, {"q": typed}).context["cl"].result_list
        assert list(found) == [chen], typed


def test_migration_respells_the_stored_pinyin(unit_a):
    migration = importlib.import_module("cadres.migrations.0014_name_pinyin_syllables")
    chen = CadreFactory(name="陈建国", unit=unit_a)
    cheng = CadreFactory(name="程刚", unit=unit_a)
    Cadre.objects.filter(pk=chen.pk).update(name_pinyin="chenjianguo")
    Cadre.objects.filter(pk=cheng.pk).update(name_pinyin="chenggang")

    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    editor = types.SimpleNamespace(connection=connection, execute=execute)
    if connection.vendor == "postgresql":  # the factories' rows, checked now, not at commit
        execute("SET CONSTRAINTS ALL IMMEDIATE")
    migration.forwards(None, editor)
    assert list(Cadre.objects.order_by("name_pinyin").values_list("name_pinyin", flat=True)) == [
        "chen jian guo",
        "cheng gang",
    ]
    migration.backwards(None, editor)
    assert set(Cadre.objects.values_list("name_pinyin", flat=True)) == {
        "chenjianguo",
        "chenggang",
    }


def test_staff_are_offered_in_pinyin_order_too(client, unit_a):
    me = UserFactory(unit=unit_a, full_name="程刚")
    for name in ("陈建国", "阿里木", "褚明"):
        UserFactory(unit=unit_a, full_name=name)
    CadreFactory(unit=unit_a, liaison=me)
    client.force_login(me)
    expected = ["阿里木", "陈建国", "程刚", "褚明"]
    visit_form = client.get(reverse("cadres:visit_new")).context["form"]
    assert [label for _value, label in visit_form.fields["visitors"].choices] == expected
    need_form = client.get(reverse("cadres:need_new")).context["form"]
    assert [label for value, label in need_form.fields["assignee"].choices if value] == expected
