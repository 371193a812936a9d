"""Recording checkups: a finding to follow up plans a visit in the liaison's to-do
list, the health section is updated with its history kept, reasons for not being
checked, and report scans served only within scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from cadres.models import Health, Visit
from checkups.models import Checkup
from checkups.services import checkup_record, checkups_mark_not_checked, checkups_record_group
from reports.models import ExportRecord
from tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def cadre(edu, liaison):
    return CadreFactory(name="王建国", unit=edu, liaison=liaison)


def test_a_finding_plans_a_follow_up_visit_in_the_liaisons_to_do_list(
    campaign, cadre, liaison, client
):
    checkup = checkup_record(
        by=liaison,
        campaign=campaign,
        cadre=cadre,
        checked_on=D(2026, 6, 5),
        result=Checkup.Result.FOLLOW_UP,
        result_summary="血压偏高，建议复查",
        follow_up_on=D(2026, 6, 15),
    )
    visit = checkup.follow_up_visit
    assert visit.status == Visit.Status.PLANNED and visit.due_on == D(2026, 6, 15)
    assert visit.cadre == cadre and visit.occasion.code == "routine"
    assert "血压偏高" in visit.notes
    assert checkup.hospital == "县人民医院"  # the campaign's first hospital
    client.force_login(liaison)
    todo = client.get(reverse("cadres:visit_todo"), {"mine": "on"})
    assert visit in todo.context["page"].object_list


def test_the_follow_up_is_due_the_campaigns_days_after_and_uses_its_occasion(
    campaign, cadre, liaison
):
    from cadres.models import VisitOccasion

    campaign.follow_up_occasion = VisitOccasion.objects.get(code="hospital")
    campaign.follow_up_days = 10
    campaign.save()
    checkup = checkup_record(
        by=liaison, campaign=campaign, cadre=cadre, checked_on=D(2026, 6, 8), result="follow_up"
    )
    assert checkup.follow_up_visit.due_on == D(2026, 6, 18)
    assert checkup.follow_up_visit.occasion.code == "hospital"


def test_a_corrected_result_cancels_the_follow_up(campaign, cadre, liaison):
    first = checkup_record(
        by=liaison, campaign=campaign, cadre=cadre, checked_on=D(2026, 6, 8), result="follow_up"
    )
    again = checkup_record(
        by=liaison, campaign=campaign, cadre=cadre, checked_on=D(2026, 6, 8), result="normal"
    )
    assert again.pk == first.pk
    first.follow_up_visit.refresh_from_db()
    assert first.follow_up_visit.status == Visit.Status.CANCELLED
    assert Checkup.objects.count() == 1


def test_the_health_section_is_updated_and_its_history_kept(campaign, cadre, liaison):
    checkup_record(
        by=liaison,
        campaign=campaign,
        cadre=cadre,
        checked_on=D(2026, 6, 5),
        result="follow_up",
        result_summary="血糖偏高",
        update_health=True,
        health=Health.FAIR,
    )
    cadre.refresh_from_db()
    assert cadre.health == Health.FAIR
    assert "2026-06-05 2026年健康体检" in cadre.health_notes and "血糖偏高" in cadre.health_notes
    history = list(cadre.history.order_by("-history_id")[:2])
    assert history[0].health == Health.FAIR and history[0].history_user == liaison
    assert history[1].health == Health.GOOD


def test_without_the_mark_the_health_section_is_left_alone(campaign, cadre, liaison):
    checkup_record(
        by=liaison, campaign=campaign, cadre=cadre, checked_on=D(2026, 6, 5), result="follow_up"
    )
    cadre.refresh_from_db()
    assert cadre.health == Health.GOOD and cadre.health_notes == ""


@pytest.mark.parametrize("day", [D(2026, 4, 30), D(2026, 6, 11)])
def test_a_checkup_outside_the_window_or_in_the_future_is_refused(campaign, cadre, liaison, day):
    with pytest.raises(ValidationError) as error:
        checkup_record(by=liaison, campaign=campaign, cadre=cadre, checked_on=day, result="normal")
    assert "checked_on" in error.value.message_dict


def test_a_cadre_outside_the_audience_is_refused(campaign, cadre, liaison):
    campaign.audience = "lixiu"
    campaign.save()
    with pytest.raises(ValidationError) as error:
        checkup_record(
            by=liaison, campaign=campaign, cadre=cadre, checked_on=D(2026, 6, 5), result="normal"
        )
    assert "cadre" in error.value.message_dict


def test_reasons_and_group_checkups(campaign, edu, liaison):
    first, second = CadreFactory(unit=edu), CadreFactory(unit=edu)
    checkups_mark_not_checked(
        by=liaison, campaign=campaign, cadres=[first, second], reason="in_hospital"
    )
    assert set(Checkup.objects.values_list("not_checked_reason", flat=True)) == {"in_hospital"}
    done = checkups_record_group(
        by=liaison, campaign=campaign, cadres=[first], checked_on=D(2026, 6, 9)
    )
    assert done[0].is_checked and done[0].not_checked_reason == ""
    with pytest.raises(ValidationError):
        checkups_mark_not_checked(by=liaison, campaign=campaign, cadres=[first], reason="away")


def test_the_bulk_form_on_the_campaign_page(campaign, edu, liaison, client):
    people = [CadreFactory(unit=edu, name=f"甲{i}") for i in range(3)]
    client.force_login(liaison)
    url = reverse("checkups:campaign", args=[campaign.pk])
    response = client.post(
        url,
        {
            "action": "record",
            "cadres": [people[0].pk, people[1].pk],
            "checked_on": "2026-06-09",
            "hospital": "县中医院",
        },
    )
    assert response.status_code == 302
    assert set(Checkup.objects.values_list("hospital", flat=True)) == {"县中医院"}
    client.post(url, {"action": "reason", "cadres": [people[2].pk], "reason": "away"})
    assert Checkup.objects.get(cadre=people[2]).not_checked_reason == "away"


def test_recording_through_the_page_with_a_report_scan(campaign, cadre, liaison, client):
    client.force_login(liaison)
    url = reverse("checkups:record", args=[campaign.pk, cadre.pk])
    assert client.get(url).status_code == 200
    scan = SimpleUploadedFile("王建国体检报告.pdf", b"%PDF-1.4 report", "application/pdf")
    response = client.post(
        url,
        {
            "action": "record",
            "checked_on": "2026-06-05",
            "hospital": "县人民医院",
            "result": "referred",
            "result_summary": "转心内科",
            "report_file": scan,
        },
    )
    assert response.status_code == 302
    checkup = Checkup.objects.get(cadre=cadre)
    assert checkup.report_name == "王建国体检报告.pdf"
    # Not under MEDIA_ROOT, and under a name that does not tell whose it is.
    assert "王建国" not in checkup.report_file.name
    file_url = reverse("checkups:report_file", args=[checkup.pk])
    download = client.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 report"
    assert "no-store" in download["Cache-Control"]
    # The scan's download is in the export log; the file is as uploaded, nothing masked.
    logged = ExportRecord.objects.get()
    assert logged.user == liaison and logged.kind == ExportRecord.Kind.DOCUMENT
    assert logged.row_count == 1 and not logged.id_numbers_masked
    assert logged.parameters["checkup"] == checkup.pk
    assert logged.parameters["cadre"]["id"] == cadre.pk
    # The cadre's page lists the checkup, with the scan's link.
    page = client.get(reverse("cadres:detail", args=[cadre.pk])).content.decode()
    assert "转心内科" in page and file_url in page


def test_report_scans_and_records_outside_the_scope_are_not_found(
    campaign, cadre, liaison, fin, bureau_staff, client
):
    scan = SimpleUploadedFile("r.pdf", b"%PDF-1.4", "application/pdf")
    checkup = checkup_record(
        by=liaison,
        campaign=campaign,
        cadre=cadre,
        checked_on=D(2026, 6, 5),
        result="normal",
        report_file=scan,
    )
    other = UserFactory(unit=fin)
    client.force_login(other)
    assert client.get(reverse("checkups:report_file", args=[checkup.pk])).status_code == 404
    assert not ExportRecord.objects.exists()  # nothing served, nothing logged
    record = reverse("checkups:record", args=[campaign.pk, cadre.pk])
    assert client.get(record).status_code == 404
    client.force_login(bureau_staff)
    assert client.get(reverse("checkups:report_file", args=[checkup.pk])).status_code == 200


def test_a_cadre_outside_the_audience_has_no_record_page(campaign, cadre, liaison, client):
    campaign.audience = "lixiu"
    campaign.save()
    client.force_login(liaison)
    assert client.get(reverse("checkups:record", args=[campaign.pk, cadre.pk])).status_code == 404


def test_branch_secretaries_read_but_do_not_record(campaign, cadre, edu, client):
    secretary = UserFactory(unit=edu, role=User.Role.BRANCH_SECRETARY)
    client.force_login(secretary)
    assert client.get(reverse("checkups:record", args=[campaign.pk, cadre.pk])).status_code == 403
    url = reverse("checkups:campaign", args=[campaign.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"action": "reason", "cadres": [cadre.pk], "reason": "away"})
    assert refused.status_code == 403
