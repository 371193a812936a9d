"""Resident ID numbers: encrypted at rest, found by keyed hashes, masked everywhere so that
no other field completes them, shown in full only on a logged request by the roles that
may see them — on the staff site and in admin alike."""

import datetime
import importlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from cadres import encryption
from cadres.models import Cadre, IdNumberDisclosure
from cadres.services import cadre_create, cadre_update
from cadres.validators import resident_id_birth_date

from ..factories import CadreFactory, UserFactory, make_id_number

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bureau_staff(bureau):
    return UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF, is_staff=True)


@pytest.fixture
def unit_staff(unit_a):
    return UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF)


def _stored(table: str = "cadres_cadre", key: str = "id") -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key}, id_number FROM {table}")
        return cursor.fetchall()


def test_the_database_holds_tokens_not_numbers(unit_a):
    cadre = CadreFactory(unit=unit_a)
    cadre_update(cadre=cadre, phone="139")
    rows = _stored() + _stored("cadres_historicalcadre", "history_id")
    assert rows and all(value.startswith(encryption.TOKEN_PREFIX) for _pk, value in rows)
    assert all(cadre.id_number not in value for _pk, value in rows)
    cadre.refresh_from_db()
    assert len(cadre.id_number) == 18  # decrypted on read


def test_duplicates_are_refused_through_the_hash(unit_a, unit_b):
    existing = CadreFactory(unit=unit_b)
    fields = {
        "name": "王五",
        "gender": "M",
        "birth_date": existing.birth_date,
        "id_number": existing.id_number.lower(),  # normalised before it is hashed
        "retirement_kind": "tuixiu",
        "unit": unit_a,
        "political_status": "masses",
    }
    with pytest.raises(ValidationError) as excinfo:
        cadre_create(**fields)
    assert "id_number" in excinfo.value.message_dict
    assert Cadre.objects.with_id_number(existing.id_number).get() == existing


def test_lookups_by_the_encrypted_column_fail_loudly(unit_a):
    with pytest.raises(TypeError, match="encrypted"):
        Cadre.objects.filter(id_number="110101195003150013").exists()


def test_the_mask_and_the_birth_date_do_not_complete_the_number(client, unit_staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    client.force_login(unit_staff)
    page = client.get(cadre.get_absolute_url()).content.decode()
    assert cadre.id_number not in page
    assert cadre.id_number[-4:] not in cadre.masked_id_number
    # What the page shows: the region code and the birth date; digits 15-18 stay unknown.
    assert cadre.masked_id_number == cadre.id_number[:6] + "*" * 12
    assert resident_id_birth_date(cadre.id_number).isoformat() in page


def test_unit_staff_cannot_ask_for_the_full_number(client, unit_staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    client.force_login(unit_staff)
    url = reverse("cadres:id_number", args=[cadre.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert cadre.id_number not in client.get(cadre.get_absolute_url()).content.decode()
    assert not IdNumberDisclosure.objects.exists()


def test_bureau_staff_see_it_on_request_and_the_request_is_logged(client, bureau_staff, unit_a):
    cadre = CadreFactory(unit=unit_a)
    client.force_login(bureau_staff)
    page = client.get(cadre.get_absolute_url()).content.decode()
    assert cadre.id_number not in page and "显示完整身份证号" in page
    url = reverse("cadres:id_number", args=[cadre.pk])
    confirm = client.get(url).content.decode()
    assert cadre.id_number not in confirm
    assert not IdNumberDisclosure.objects.exists()
    shown = client.post(url, headers={"HX-Request": "true"}, REMOTE_ADDR="10.1.2.3")
    assert cadre.id_number in shown.content.decode()
    assert "<html" not in shown.content.decode()  # the fragment for htmx
    record = IdNumberDisclosure.objects.get()
    assert (record.user, record.cadre, record.client_address) == (
        bureau_staff,
        cadre,
        "10.1.2.3",
    )
    assert cadre.id_number in client.post(url).content.decode()  # without htmx: a page
    assert IdNumberDisclosure.objects.count() == 2


def test_another_units_cadre_is_not_found(client, bureau_staff, unit_staff, unit_b):
    cadre = CadreFactory(unit=unit_b)
    client.force_login(unit_staff)
    assert client.post(reverse("cadres:id_number", args=[cadre.pk])).status_code == 403


@pytest.mark.parametrize("role", ["bureau_staff", "unit_staff"])
def test_the_edit_form_never_carries_the_number(client, request, role, unit_a):
    user = request.getfixturevalue(role)
    cadre = CadreFactory(unit=unit_a)
    client.force_login(user)
    page = client.get(reverse("cadres:edit", args=[cadre.pk])).content.decode()
    assert cadre.id_number not in page
    assert cadre.masked_id_number in page  # as the placeholder


def test_a_new_number_entered_in_the_edit_form_replaces_the_old(client, bureau_staff, unit_a):
    from .test_edit_history import form_data

    cadre = CadreFactory(unit=unit_a, birth_date=datetime.date(1950, 3, 15))
    new_number = make_id_number(cadre.birth_date, True, serial=400)
    client.force_login(bureau_staff)
    response = client.post(
        reverse("cadres:edit", args=[cadre.pk]), form_data(cadre, id_number=new_number)
    )
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.id_number == new_number
    assert Cadre.objects.with_id_number(new_number).get() == cadre
    history = client.get(reverse("cadres:history", args=[cadre.pk])).content.decode()
    assert new_number not in history and cadre.masked_id_number in history


def test_registry_search_by_id_only_for_roles_that_may_see_it(
    client, bureau_staff, unit_staff, unit_a
):
    cadre = CadreFactory(unit=unit_a, name="赵六", phone="")
    url = reverse("cadres:registry")
    for user, found in ((bureau_staff, ["赵六"]), (unit_staff, [])):
        client.force_login(user)
        for text in (cadre.id_number, cadre.id_number[-4:]):
            names = [c.name for c in client.get(url, {"q": text}).context["page"]]
            assert names == found, (user.role, text)


@pytest.mark.parametrize("role", ["superuser", "bureau_staff", "unit_staff_admin"])
def test_admin_pages_never_carry_the_number(client, request, role, unit_a):
    user = request.getfixturevalue(role)
    if role == "bureau_staff":
        from django.contrib.auth.models import Permission

        user.user_permissions.set(Permission.objects.filter(content_type__app_label="cadres"))
    cadre = CadreFactory(unit=unit_a)
    old_number = cadre.id_number
    cadre_update(cadre=cadre, id_number=make_id_number(cadre.birth_date, True, serial=300))
    client.force_login(user)
    pages = [
        reverse("admin:cadres_cadre_changelist"),
        reverse("admin:cadres_cadre_change", args=[cadre.pk]),
        reverse("admin:cadres_cadre_history", args=[cadre.pk]),
    ]
    history_row = cadre.history.order_by("history_date").first()
    pages.append(
        reverse("admin:cadres_cadre_simple_history", args=[cadre.pk, history_row.history_id])
    )
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert cadre.id_number not in html and old_number not in html, url


def test_admin_search_by_id_number_only_for_roles_that_may_see_it(
    client, superuser, unit_staff_admin, unit_a
):
    cadre = CadreFactory(unit=unit_a, name="钱七", phone="")
    url = reverse("admin:cadres_cadre_changelist")
    client.force_login(superuser)
    assert "钱七" in client.get(url, {"q": cadre.id_number}).content.decode()
    assert "钱七" in client.get(url, {"q": cadre.id_number[-4:]}).content.decode()
    client.force_login(unit_staff_admin)
    assert "钱七" not in client.get(url, {"q": cadre.id_number}).content.decode()
    assert "钱七" not in client.get(url, {"q": cadre.id_number[-4:]}).content.decode()


def test_the_disclosure_log_is_for_administrators(client, superuser, bureau_staff, unit_a):
    IdNumberDisclosure.objects.create(user=bureau_staff, cadre=CadreFactory(unit=unit_a))
    url = reverse("admin:cadres_idnumberdisclosure_changelist")
    client.force_login(superuser)
    assert client.get(url).status_code == 200
    client.force_login(bureau_staff)
    assert client.get(url).status_code == 403


def test_the_migration_encrypts_rows_stored_in_plain_text(unit_a):
    cadre = CadreFactory(unit=unit_a)
    number = cadre.id_number
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cadres_cadre SET id_number = %s, id_number_hash = %s WHERE id = %s",
            [number, "stale", cadre.pk],
        )
    migration = importlib.import_module("cadres.migrations.0008_encrypt_id_numbers")
    migration.encrypt_id_numbers(None, SimpleNamespace(connection=connection))
    migration.encrypt_id_numbers(None, SimpleNamespace(connection=connection))  # again: no-op
    (_pk, stored), *_ = (row for row in _stored() if row[0] == cadre.pk)
    assert stored.startswith(encryption.TOKEN_PREFIX)
    assert Cadre.objects.with_id_number(number).get().id_number == number


def test_key_rotation_reencrypts_under_the_newest_key(unit_a, settings):
    cadre = CadreFactory(unit=unit_a)
    new_key = Fernet.generate_key().decode()
    old_keys = list(settings.YINLING_FIELD_ENCRYPTION_KEYS)
    with override_settings(
        YINLING_FIELD_ENCRYPTION_KEYS=[new_key, *old_keys],
        YINLING_LOOKUP_HASH_KEY="a-new-lookup-hash-key",
    ):
        call_command("rotate_field_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
        (_pk, token), *_ = (row for row in _stored() if row[0] == cadre.pk)
        assert Fernet(new_key.encode()).decrypt(token.encode()).decode() == cadre.id_number
        assert Cadre.objects.with_id_number(cadre.id_number).get() == cadre
        with override_settings(YINLING_FIELD_ENCRYPTION_KEYS=[new_key]):
            assert Cadre.objects.get(pk=cadre.pk).id_number == cadre.id_number


@pytest.mark.slow
def test_the_database_file_holds_no_plaintext_id_number(tmp_path):
    """The demo registry in a real SQLite file (and its WAL) on the embedded defaults."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        YINLING_IGNORE_DOTENV="1",
        YINLING_VAR_DIR=str(tmp_path),
        YINLING_FIELD_ENCRYPTION_KEYS="",
        YINLING_LOOKUP_HASH_KEY="",
    )

    def run(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        ).stdout

    run("migrate", "-v0")
    run("seed_demo", "--cadres", "40")
    numbers = run(
        "shell",
        "-v0",
        "-c",
        "from cadres.models import Cadre; "
        "print('\\n'.join(Cadre.objects.values_list('id_number', flat=True)))",
    ).split()
    numbers = [n for n in numbers if len(n) == 18]
    assert len(numbers) >= 40
    assert oct((tmp_path / "field-keys.json").stat().st_mode)[-3:] == "600"
    files = list(tmp_path.glob("yinling.sqlite3*"))
    assert files
    blob = b"".join(path.read_bytes() for path in files)
    leaked = [n for n in numbers if n.encode() in blob or n[-8:].encode() in blob]
    assert not leaked
    # And the file is a readable database whose rows are there.
    with sqlite3.connect(tmp_path / "yinling.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM cadres_cadre").fetchone()[0] == len(numbers)


def test_a_masked_number_is_a_clear_error_not_a_crash(unit_a):
    cadre = CadreFactory.build(unit=unit_a, id_number="110101************")
    with pytest.raises(ValidationError) as excinfo:
        cadre.full_clean()
    assert "id_number" in excinfo.value.message_dict
