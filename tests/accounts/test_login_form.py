import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("login", ["accounts:login", "admin:login"])
def test_a_username_longer_than_any_is_refused_by_the_form(client, login):
    """It reached authenticate(), and axes's log of the failure (255 characters) raised
    on PostgreSQL."""
    response = client.post(reverse(login), {"username": "x" * 10_000, "password": "pw"})
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not AccessAttempt.objects.exists()
