"""The registry page at a province's size: choice labels translated once per language,
the filters drawn directly, the branch filter narrowed to the chosen unit above a few
hundred branches, a community search counted part by part (each cadre once), and a page
found by its keys, then read whole in the same order."""

import datetime

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from cadres.filter_forms import CadreFilterForm
from cadres.models import Cadre
from cadres.registry_list import cadre_list_page
from cadres.selectors import registry_filter_choices
from tests.factories import CadreFactory, PartyBranchFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("cadres:registry")


def test_choice_labels_follow_the_active_language(unit_a):
    cadre = CadreFactory(unit=unit_a, gender="F", health="poor")
    with translation.override("en"):
        assert cadre.get_gender_display() == "Female"
    with translation.override("zh-hans"):
        assert cadre.get_gender_display() == "女"
        assert cadre.get_health_display() != "poor"
    cadre.health = "not-a-choice"
    assert cadre.get_health_display() == "not-a-choice"


def test_filters_are_drawn_as_bootstrap_fields_with_their_errors(unit_a):
    staff = UserFactory(unit=unit_a)
    form = CadreFilterForm({"health": "nonsense"}, **registry_filter_choices(user=staff))
    assert not form.is_valid()
    template = engines["django"].from_string(
        "{% load filter_fields %}{% filter_field form.health %}{% filter_field form.q %}"
    )
    html = template.render({"form": form})
    assert '<label for="id_health" class="form-label">' in html
    assert 'class="form-select is-invalid"' in html and 'class="invalid-feedback"' in html
    assert '<input type="text" name="q"' in html and 'class="form-control"' in html


def test_the_branch_filter_lists_the_chosen_units_branches_above_the_limit(
    monkeypatch, unit_a, unit_b
):
    bureau_staff = UserFactory(unit=unit_a.parent, role="bureau_staff")
    ours = PartyBranchFactory(unit=unit_a, name="甲单位支部")
    theirs = PartyBranchFactory(unit=unit_b, name="乙单位支部")
    choices = registry_filter_choices(user=bureau_staff)

    def offered(data):
        form = CadreFilterForm(data, **choices)
        return form, [label for value, label in form.fields["branch"].choices if value]

    form, names = offered({})
    assert {"甲单位支部", "乙单位支部"} <= set(names) and not form.fields["branch"].help_text
    monkeypatch.setattr("cadres.filter_forms.BRANCH_CHOICES_MAX", 1)
    form, names = offered({})
    assert names == [] and form.fields["branch"].help_text
    form, names = offered({"unit": str(unit_a.pk)})
    assert names == ["甲单位支部"]
    # A branch named in the address (a link from its page) is shown and accepted.
    form, names = offered({"branch": str(theirs.pk)})
    assert names == ["乙单位支部"] and form.is_valid()
    assert form.cleaned_data["branch"] == theirs and ours.pk


def test_a_community_search_counts_each_cadre_once(unit_a):
    staff = UserFactory(unit=unit_a)
    # Found both by name and by community: counted once.
    CadreFactory(unit=unit_a, name="东关社区人", residential_community="城关镇东关社区")
    CadreFactory(unit=unit_a, name="张三", residential_community="城关镇东关社区")
    CadreFactory(unit=unit_a, name="李东关社区", residential_community="")
    CadreFactory(unit=unit_a, name="王五", residential_community="城关镇西关社区")
    page = cadre_list_page(
        user=staff, filters={"q": "东关社区"}, today=datetime.date.today(), number=1, per_page=2
    )
    assert page.paginator.count == 3 and page.paginator.num_pages == 2
    assert len(page.object_list) == 2


def test_a_page_is_read_whole_in_list_order(client, unit_a):
    staff = UserFactory(unit=unit_a)
    for name in ["赵一", "钱二", "孙三", "李四"]:
        CadreFactory(unit=unit_a, name=name)
    client.force_login(staff)
    listed = [cadre.name for cadre in client.get(f"{URL}?sort=-name").context["page"]]
    assert listed == [cadre.name for cadre in Cadre.objects.order_by("-name_pinyin", "-id")]
    # Each card says the age in words and links to the cadre's page.
    response = client.get(URL)
    cadre = response.context["page"][0]
    body = response.content.decode()
    assert f"{cadre.age_on(timezone.localdate())}岁" in body
    assert f'href="{cadre.get_absolute_url()}"' in body
    # Only the row's columns are read (not the address, contacts and notes).
    assert {"address", "current_needs"} <= cadre.get_deferred_fields()


def test_a_filters_help_text_is_the_one_its_control_names(monkeypatch, unit_a):
    monkeypatch.setattr("cadres.filter_forms.BRANCH_CHOICES_MAX", 0)
    bureau_staff = UserFactory(unit=unit_a.parent, role="bureau_staff")
    PartyBranchFactory(unit=unit_a)
    form = CadreFilterForm({}, **registry_filter_choices(user=bureau_staff))
    html = engines["django"].from_string("{% load filter_fields %}{% filter_field form.branch %}")
    html = html.render({"form": form})
    assert 'aria-describedby="id_branch_helptext"' in html
    assert '<div id="id_branch_helptext" class="form-text">' in html
