import pytest
from django.test import override_settings

from accounts.models import User

from .factories import UnitFactory, UserFactory


@pytest.fixture(scope="session", autouse=True)
def private_files_root(tmp_path_factory):
    """Private uploads that a test writes go to a temporary folder, never to the
    machine's var/private (a test may point PRIVATE_FILES_ROOT at its own folder)."""
    with override_settings(PRIVATE_FILES_ROOT=tmp_path_factory.mktemp("private")):
        yield


@pytest.fixture
def bureau(db):
    return UnitFactory(name="县委老干部局", code="BUREAU", kind="bureau")


@pytest.fixture
def unit_a(bureau):
    return UnitFactory(name="县教育局", code="EDU", parent=bureau)


@pytest.fixture
def unit_a_child(unit_a):
    return UnitFactory(name="县第一中学", code="EDU-1", parent=unit_a)


@pytest.fixture
def unit_b(bureau):
    return UnitFactory(name="县财政局", code="FIN", parent=bureau)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "pw-for-tests-1")


@pytest.fixture
def unit_staff_admin(unit_a):
    """A unit staff member of unit A with access to the admin and all model permissions."""
    from django.contrib.auth.models import Permission

    user = UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["accounts", "cadres", "branches", "activities"]
        )
    )
    return user
