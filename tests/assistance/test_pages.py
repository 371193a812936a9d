"""The case pages with the test client: the flow, refusals (403), scope (404), the
documents served only within scope, the pending list and the dashboard card."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistance.models import AssistanceCase, AssistanceDocument
from cadres.models import Health, LivingSituation, Visit, VisitOccasion
from reports.models import ExportRecord
from tests.factories import AssistanceCaseFactory, CadreFactory, VisitFactory

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_unit_opens_a_case_the_bureau_approves_and_pays(client, cadre, people):
    client.force_login(people["drafter"])
    response = client.post(
        reverse("assistance:new"),
        {
            "cadre": cadre.pk,
            "category": "medical",
            "circumstances": "住院手术",
            "amount_requested": "5000.00",
        },
    )
    case = AssistanceCase.objects.get()
    assert response.url == case.get_absolute_url()
    pdf = SimpleUploadedFile("住院发票.pdf", b"%PDF-1.4 bill", content_type="application/pdf")
    client.post(reverse("assistance:document_new", args=[case.pk]), {"file": pdf})
    assert case.documents.get().original_name == "住院发票.pdf"
    client.post(reverse("assistance:submit", args=[case.pk]))
    # The drafter may not review: sent back to the case with the reason.
    response = client.get(reverse("assistance:review", args=[case.pk]))
    assert response.status_code == 200 and response.context["unavailable"]
    assert "data-unavailable" in response.content.decode()
    response = client.post(reverse("assistance:review", args=[case.pk]), {"review_opinion": "x"})
    assert response.status_code == 302 and messages_of(response)
    case.refresh_from_db()
    assert case.status == "submitted"
    client.force_login(people["colleague"])
    client.post(reverse("assistance:review", args=[case.pk]), {"review_opinion": "情况属实"})
    client.force_login(people["bureau"])
    response = client.post(
        reverse("assistance:decide", args=[case.pk]),
        {"decision": "approve", "amount_approved": "4000.00", "note": ""},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("assistance:pay", args=[case.pk]),
        {
            "paid_on": datetime.date.today().isoformat(),
            "amount_paid": "4000.00",
            "payment_method": "bank",
            "overspend_reason": "",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "paid" and case.amount_paid == Decimal("4000.00")
    client.post(reverse("assistance:close", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "closed"
    page = client.get(case.get_absolute_url()).content.decode()
    assert "4000.00" in page and "住院发票.pdf" in page


def test_refusing_needs_a_reason(client, make_case, people):
    case = make_case("reviewed")
    client.force_login(people["bureau"])
    response = client.post(reverse("assistance:decide", args=[case.pk]), {"decision": "refuse"})
    assert response.status_code == 200
    assert response.context["form"].errors["refusal_reason"]
    client.post(
        reverse("assistance:decide", args=[case.pk]),
        {"decision": "refuse", "refusal_reason": "已享受其他救助"},
    )
    case.refresh_from_db()
    assert case.status == "refused" and case.refusal_reason == "已享受其他救助"


@pytest.mark.parametrize(
    "name, roles_refused",
    [
        ("assistance:review", ["bureau", "admin", "secretary"]),
        ("assistance:decide", ["drafter", "colleague", "secretary"]),
        ("assistance:pay", ["drafter", "colleague", "secretary"]),
        ("assistance:close", ["drafter", "colleague", "secretary"]),
        ("assistance:submit", ["secretary"]),
    ],
)
def test_step_pages_answer_403_to_roles_that_never_take_the_step(
    client, make_case, people, name, roles_refused
):
    case = make_case("draft")
    for role in roles_refused:
        client.force_login(people[role])
        assert client.get(reverse(name, args=[case.pk])).status_code == 403, role
        assert client.post(reverse(name, args=[case.pk])).status_code == 403, role
    case.refresh_from_db()
    assert case.status == "draft"


def test_another_units_case_and_documents_are_404(client, make_case, people, unit_b):
    case = make_case("submitted")
    document = AssistanceDocument.objects.create(
        case=case,
        file=SimpleUploadedFile("x.pdf", b"%PDF"),
        original_name="x.pdf",
        uploaded_by=people["drafter"],
    )
    outsider = people["other_unit"]
    client.force_login(outsider)
    for name in ("detail", "history", "edit", "submit", "review", "document_new"):
        assert client.get(reverse(f"assistance:{name}", args=[case.pk])).status_code == 404
    assert client.get(reverse("assistance:document", args=[document.pk])).status_code == 404
    assert not ExportRecord.objects.exists()  # nothing served, nothing logged
    # A secretary reads the cases of their branch's members, not another member's unit.
    other_cadre = CadreFactory(unit=case.unit)
    other_case = AssistanceCaseFactory(cadre=other_cadre, created_by=people["drafter"])
    client.force_login(people["secretary"])
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(reverse("assistance:document", args=[document.pk])).status_code == 200
    assert client.get(other_case.get_absolute_url()).status_code == 404


def test_a_document_is_served_as_a_download_from_private_storage(
    client, make_case, people, private_dir, settings
):
    case = make_case("draft")
    client.force_login(people["drafter"])
    client.post(
        reverse("assistance:document_new", args=[case.pk]),
        {"file": SimpleUploadedFile("病历.pdf", b"%PDF-1.4 record"), "description": "病历"},
    )
    document = case.documents.get()
    stored = private_dir / document.file.name
    assert stored.exists() and "病历" not in document.file.name
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    response = client.get(reverse("assistance:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 record"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    # The download is in the export log; the file is as uploaded, nothing masked.
    record = ExportRecord.objects.get()
    assert record.user == people["drafter"] and record.kind == ExportRecord.Kind.DOCUMENT
    assert record.row_count == 1 and not record.id_numbers_masked
    assert record.parameters["case"]["id"] == case.pk
    assert record.parameters["document"] == {"id": document.pk, "name": "病历.pdf"}
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018


def test_uploads_are_limited_to_documents(client, make_case, people):
    case = make_case("draft")
    client.force_login(people["drafter"])
    response = client.post(
        reverse("assistance:document_new", args=[case.pk]),
        {"file": SimpleUploadedFile("page.html", b"<script>")},
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not case.documents.exists()


def test_the_pending_list_and_dashboard_card_show_whose_step_it_is(client, make_case, people):
    submitted = make_case("submitted")
    approved = make_case("approved")
    make_case("closed")
    client.force_login(people["colleague"])
    page = client.get(reverse("assistance:pending"))
    assert [c.pk for c in page.context["page"]] == [submitted.pk]
    # The drafter does not review their own: nothing waits for them.
    client.force_login(people["drafter"])
    assert list(client.get(reverse("assistance:pending")).context["page"]) == []
    client.force_login(people["bureau"])
    assert [c.pk for c in client.get(reverse("assistance:pending")).context["page"]] == [
        approved.pk
    ]
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert 'data-figure="assistance_approved">1<' in dashboard
    assert 'data-figure="assistance_reviewed">0<' in dashboard
    client.force_login(people["secretary"])
    assert "assistance-pending" not in client.get(reverse("reports:dashboard")).content.decode()


def test_the_dashboard_card_is_one_query(make_case, people, django_assert_num_queries):
    from assistance.selectors import pending_summary

    for status in ("submitted", "reviewed", "approved", "paid"):
        make_case(status)
    with django_assert_num_queries(1):
        summary = pending_summary(user=people["bureau"])
    assert [step["count"] for step in summary["steps"]] == [1, 1, 1]
    people["colleague"]._visible_unit_ids = {people["colleague"].unit_id}
    with django_assert_num_queries(1):
        assert pending_summary(user=people["colleague"])["total"] == 1


def test_eligibility_hints_from_the_register(client, cadre, people):
    cadre.living_situation = LivingSituation.ALONE
    cadre.health = Health.IN_HOSPITAL
    cadre.health_changed_on = datetime.date.today()
    cadre.save()
    VisitFactory(
        cadre=cadre,
        occasion=VisitOccasion.objects.get(code="family_difficulty"),
        visited_on=datetime.date.today() - datetime.timedelta(days=30),
        status=Visit.Status.DONE,
    )
    client.force_login(people["drafter"])
    page = client.get(reverse("assistance:new") + f"?cadre={cadre.pk}").content.decode()
    for code in ("hardship", "alone", "hospital", "family"):
        assert f'data-hint="{code}"' in page


def test_the_list_filters_and_stays_in_scope(client, make_case, people, unit_b):
    make_case("draft", category="housing")
    make_case("paid", category="medical")
    AssistanceCaseFactory(cadre=CadreFactory(unit=unit_b))
    client.force_login(people["drafter"])
    rows = client.get(reverse("assistance:list")).context["page"]
    assert len(rows) == 2
    rows = client.get(reverse("assistance:list"), {"category": "housing"}).context["page"]
    assert [c.category for c in rows] == ["housing"]
    assert client.get(reverse("assistance:list"), {"unit": "x", "year": "²"}).status_code == 200
    client.force_login(people["bureau"])
    assert len(client.get(reverse("assistance:list")).context["page"]) == 3
