"""Family contacts (家属) on the cadre's page: add, edit and remove, by editors of the
cadre's units only, each change kept in the contact's history."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from cadres.models import CadreStatus, FamilyContact
from cadres.services import family_contact_add, family_contact_remove, family_contact_update

from ..factories import (
    BranchRoleFactory,
    CadreFactory,
    FamilyContactFactory,
    PartyBranchFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF)


@pytest.fixture
def cadre(unit_a):
    return CadreFactory(unit=unit_a, name="陈老")


def contact_data(**changes) -> dict:
    data = {
        "name": "陈小红",
        "relation": "child",
        "phone": "13900002222",
        "is_emergency_contact": "on",
        "address": "城西路 8 号",
        "notes": "周末回家",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# Services -------------------------------------------------------------------------------


def test_services_add_update_and_remove_with_history(cadre, staff):
    contact = family_contact_add(
        cadre=cadre, by=staff, name=" 陈小红 ", relation="child", phone="139"
    )
    assert contact.name == "陈小红" and contact.cadre == cadre
    family_contact_update(contact=contact, by=staff, phone="138", is_emergency_contact=True)
    contact.refresh_from_db()
    assert contact.phone == "138" and contact.is_emergency_contact
    pk = contact.pk
    family_contact_remove(contact=contact, by=staff)
    assert not FamilyContact.objects.filter(pk=pk).exists()
    history = FamilyContact.history.filter(id=pk).order_by("history_date")
    assert [row.history_type for row in history] == ["+", "~", "-"]
    assert {row.history_user for row in history} == {staff}
    assert history.last().phone == "138"  # what was removed can still be read


def test_services_validate(cadre, staff):
    with pytest.raises(ValidationError) as excinfo:
        family_contact_add(cadre=cadre, by=staff, name="", relation="uncle")
    assert set(excinfo.value.message_dict) == {"name", "relation"}
    assert not FamilyContact.objects.exists()


def test_several_emergency_contacts_are_allowed(cadre, staff):
    for name in ("老伴", "长子"):
        family_contact_add(
            cadre=cadre, by=staff, name=name, relation="spouse", is_emergency_contact=True
        )
    assert cadre.family_contacts.filter(is_emergency_contact=True).count() == 2


# Pages ----------------------------------------------------------------------------------


def test_an_editor_adds_two_contacts_and_sees_them_on_the_cadre_page(client, staff, cadre):
    client.force_login(staff)
    url = reverse("cadres:family_new", args=[cadre.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, contact_data())
    assert response.status_code == 302 and response.url == cadre.get_absolute_url()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "陈小红" in message
    client.post(url, contact_data(name="王阿姨", relation="carer", is_emergency_contact=None))
    first, second = cadre.family_contacts.all()  # emergency contacts first
    assert (first.name, first.is_emergency_contact, first.notes) == ("陈小红", True, "周末回家")
    assert (second.name, second.relation, second.is_emergency_contact) == (
        "王阿姨",
        "carer",
        False,
    )
    assert first.history.get().history_user == staff
    page = client.get(cadre.get_absolute_url()).content.decode()
    assert "陈小红" in page and "王阿姨" in page and "tel:13900002222" in page
    for contact in (first, second):
        assert reverse("cadres:family_edit", args=[contact.pk]) in page
        assert reverse("cadres:family_remove", args=[contact.pk]) in page


def test_a_bad_contact_re_renders(client, staff, cadre):
    client.force_login(staff)
    response = client.post(
        reverse("cadres:family_new", args=[cadre.pk]), contact_data(name="", relation="x")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "relation"}
    assert not FamilyContact.objects.exists()


def test_editing_a_contact(client, staff, cadre):
    contact = FamilyContactFactory(cadre=cadre, name="陈小红", phone="1")
    client.force_login(staff)
    url = reverse("cadres:family_edit", args=[contact.pk])
    assert 'value="陈小红"' in client.get(url).content.decode()
    response = client.post(url, contact_data(phone="13700003333"))
    assert response.status_code == 302 and response.url == cadre.get_absolute_url()
    contact.refresh_from_db()
    assert contact.phone == "13700003333" and contact.is_emergency_contact
    assert contact.history.first().history_user == staff


def test_removing_asks_first_and_keeps_the_history(client, staff, cadre):
    contact = FamilyContactFactory(cadre=cadre, name="陈小红")
    client.force_login(staff)
    url = reverse("cadres:family_remove", args=[contact.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "陈小红" in confirm.content.decode()
    assert FamilyContact.objects.filter(pk=contact.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response.url == cadre.get_absolute_url()
    assert not FamilyContact.objects.filter(pk=contact.pk).exists()
    removed = FamilyContact.history.filter(id=contact.pk).first()
    assert removed.history_type == "-" and removed.history_user == staff
    assert client.post(url).status_code == 404  # gone


def test_the_family_of_a_deceased_cadre_can_still_be_kept(client, staff, unit_a):
    # The condolence visit goes to the family: their contacts matter after a death.
    cadre = CadreFactory(unit=unit_a, status=CadreStatus.DECEASED, died_on="2025-01-01")
    client.force_login(staff)
    url = reverse("cadres:family_new", args=[cadre.pk])
    assert client.post(url, contact_data()).status_code == 302
    assert cadre.family_contacts.count() == 1


@pytest.mark.parametrize("name", ["family_new", "family_edit", "family_remove"])
def test_another_units_cadre_is_404_and_secretaries_403(client, staff, unit_b, cadre, name):
    theirs = CadreFactory(unit=unit_b)
    other_contact = FamilyContactFactory(cadre=theirs)
    own_contact = FamilyContactFactory(cadre=cadre)
    other, own = (
        (theirs.pk, cadre.pk) if name == "family_new" else (other_contact.pk, own_contact.pk)
    )
    client.force_login(staff)
    assert client.get(reverse(f"cadres:{name}", args=[other])).status_code == 404
    assert client.post(reverse(f"cadres:{name}", args=[other]), contact_data()).status_code == 404
    secretary = UserFactory(unit=cadre.unit, role=User.Role.BRANCH_SECRETARY)
    client.force_login(secretary)
    assert client.get(reverse(f"cadres:{name}", args=[own])).status_code == 403
    assert client.post(reverse(f"cadres:{name}", args=[own]), contact_data()).status_code == 403
    assert FamilyContact.objects.count() == 2
    other_contact.refresh_from_db()
    own_contact.refresh_from_db()
    assert other_contact.name != "陈小红" and own_contact.name != "陈小红"


def test_a_branch_secretary_reads_the_family_without_edit_links(client, unit_a, cadre):
    from branches.models import BranchRole

    contact = FamilyContactFactory(cadre=cadre, name="陈小红")
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    branch = PartyBranchFactory(unit=unit_a)
    BranchRoleFactory(branch=branch, cadre=cadre)
    BranchRoleFactory(
        branch=branch,
        cadre=CadreFactory(unit=unit_a, account=secretary),
        role=BranchRole.Role.SECRETARY,
    )
    client.force_login(secretary)
    page = client.get(cadre.get_absolute_url()).content.decode()
    assert "陈小红" in page
    assert reverse("cadres:family_new", args=[cadre.pk]) not in page
    assert reverse("cadres:family_edit", args=[contact.pk]) not in page
    assert reverse("cadres:family_remove", args=[contact.pk]) not in page


def test_family_pages_and_the_cadre_page_queries_do_not_grow_with_contacts(client, staff, cadre):
    client.force_login(staff)
    contact = FamilyContactFactory(cadre=cadre)
    urls = [
        cadre.get_absolute_url(),
        reverse("cadres:family_new", args=[cadre.pk]),
        reverse("cadres:family_edit", args=[contact.pk]),
        reverse("cadres:family_remove", args=[contact.pk]),
    ]
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        counts.append(len(few))
    FamilyContactFactory.create_batch(12, cadre=cadre)
    for url, count in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(many) == count, url
