"""Pages of the register: the registry list with its search and filters, a cadre's page
(with the timeline) and history, registering and editing a cadre, showing the full ID
number, recording a death or a transfer out, the cadre's family contacts, and the cadre
picker. Visits are in ``visit_views``, care needs in ``need_views``."""

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.audit import history_entries
from accounts.params import parse_search
from accounts.scoping import (
    can_edit_registry,
    can_see_id_numbers,
    require_editor,
    visible_unit_ids,
)

from .filter_forms import CadreFilterForm
from .forms import CadreForm, DeathForm, FamilyContactForm, TransferForm
from .models import Cadre, CadreStatus, Visit
from .registry_list import cadre_list_page, cadre_picker
from .selectors import (
    cadre_detail,
    cadre_timeline,
    cadres_visible_to,
    family_contact_for,
    registry_filter_choices,
    staff_visible_to,
)
from .services import (
    cadre_create,
    cadre_mark_deceased,
    cadre_transfer_out,
    cadre_update,
    family_contact_add,
    family_contact_remove,
    family_contact_update,
    id_number_disclose,
)
from .validators import mask_resident_id
from .visit_services import new_visit_refusal

PAGE_SIZE = 50


@login_required
def registry(request):
    form = CadreFilterForm(request.GET or None, **registry_filter_choices(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    page = cadre_list_page(
        user=request.user,
        filters=filters,
        today=today,
        number=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    # Each row's link and age put together here: a template tag each would cost more.
    detail_url, aged = Cadre.detail_urls(), _("aged %(age)s")
    for cadre in page:
        cadre.age = cadre.age_on(today)
        cadre.age_label = aged % {"age": cadre.age}
        cadre.url = detail_url(cadre.pk)
    keep = request.GET.copy()
    keep.pop("page", None)
    sort = filters.get("sort") or "name"
    keep.pop("sort", None)
    return render(
        request,
        "cadres/registry.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "query": keep.urlencode(),
            "sort": sort,
        },
    )


@login_required
def detail(request, pk: int):
    cadre = cadre_detail(user=request.user, pk=pk)
    reminders = cadre.reminder_items.select_related("recipient", "digest").order_by(
        "-occurrence", "kind"
    )[:30]
    return render(
        request,
        "cadres/detail.html",
        {
            "cadre": cadre,
            "age": cadre.age_on(timezone.localdate()),
            "can_see_id_number": can_see_id_numbers(user=request.user),
            "can_edit": can_edit_registry(user=request.user),
            "reminders": reminders,
            "timeline": cadre_timeline(cadre=cadre),
            "planned_visits": [v for v in cadre.all_visits if v.status == Visit.Status.PLANNED],
            "new_visit_refusal": new_visit_refusal(cadre=cadre),
        },
    )


@login_required
def new(request):
    """新增老干部: the edit form's sections, for a cadre of the user's own units."""
    require_editor(user=request.user)
    # Unit staff mostly register their own unit's retirees; the bureau chooses.
    restricted = visible_unit_ids(user=request.user) is not None
    form = CadreForm(
        request.POST or None,
        request.FILES or None,
        initial={"unit": request.user.unit_id if restricted else None},
        units=registry_filter_choices(user=request.user)["units"],
        staff=staff_visible_to(user=request.user),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            cadre = cadre_create(by=request.user, **form.record_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                format_html(
                    '{} <a class="alert-link" href="{}">{}</a>',
                    _("%(name)s is registered. Now add the family contacts.") % {"name": cadre},
                    reverse("cadres:family_new", args=[cadre.pk]),
                    _("Add a family contact"),
                ),
            )
            return redirect(cadre)
    return render(request, "cadres/cadre_form.html", {"form": form, "cadre": None})


@login_required
def edit(request, pk: int):
    require_editor(user=request.user)
    cadre = get_object_or_404(cadres_visible_to(user=request.user), pk=pk)
    form = CadreForm(
        request.POST or None,
        request.FILES or None,
        instance=cadre,
        units=registry_filter_choices(user=request.user)["units"],
        staff=staff_visible_to(user=request.user, including=cadre.liaison_id),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        changed = form.record_fields(changed_only=True)
        try:
            cadre_update(cadre=cadre, by=request.user, **changed)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The record of %(name)s was saved.") % {"name": cadre})
            return redirect(cadre)
    return render(request, "cadres/cadre_form.html", {"form": form, "cadre": cadre})


@login_required
def id_number(request, pk: int):
    """ "显示完整身份证号": a confirmation (GET), then the number, logged (POST). With htmx
    the number replaces the masked one in place on the cadre page."""
    if not can_see_id_numbers(user=request.user):
        raise PermissionDenied
    cadre = get_object_or_404(cadres_visible_to(user=request.user), pk=pk)
    number = None
    if request.method == "POST":
        number = id_number_disclose(
            cadre=cadre, by=request.user, client_address=get_client_ip_address(request)
        )
    template = (
        "cadres/_id_number.html" if request.headers.get("HX-Request") else "cadres/id_number.html"
    )
    return render(request, template, {"cadre": cadre, "number": number})


@login_required
def history(request, pk: int):
    cadre = get_object_or_404(cadres_visible_to(user=request.user), pk=pk)
    # The full number is never in a history row, whatever the role (see id_number).
    masks = {"id_number": mask_resident_id}
    return render(
        request,
        "cadres/history.html",
        {
            "cadre": cadre,
            "entries": history_entries(instance=cadre, masks=masks),
            "can_edit": can_edit_registry(user=request.user),
        },
    )


@login_required
def family_new(request, pk: int):
    require_editor(user=request.user)
    cadre = get_object_or_404(cadres_visible_to(user=request.user), pk=pk)
    form = FamilyContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = family_contact_add(cadre=cadre, by=request.user, **form.cleaned_data)
        messages.success(
            request, _("%(contact)s is added to the family contacts.") % {"contact": contact}
        )
        return redirect(cadre)
    return render(
        request, "cadres/family_form.html", {"form": form, "cadre": cadre, "contact": None}
    )


@login_required
def family_edit(request, pk: int):
    require_editor(user=request.user)
    contact = family_contact_for(user=request.user, pk=pk)
    form = FamilyContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        family_contact_update(contact=contact, by=request.user, **changed)
        messages.success(
            request, _("The family contact %(contact)s is saved.") % {"contact": contact}
        )
        return redirect(contact.cadre)
    return render(
        request,
        "cadres/family_form.html",
        {"form": form, "cadre": contact.cadre, "contact": contact},
    )


@login_required
def family_remove(request, pk: int):
    """Remove a family contact, after a confirmation page; its history is kept."""
    require_editor(user=request.user)
    contact = family_contact_for(user=request.user, pk=pk)
    if request.method == "POST":
        family_contact_remove(contact=contact, by=request.user)
        messages.success(
            request, _("%(contact)s is removed from the family contacts.") % {"contact": contact}
        )
        return redirect(contact.cadre)
    return render(
        request, "cadres/family_remove.html", {"cadre": contact.cadre, "contact": contact}
    )


@login_required
def picker(request):
    """htmx partial: the cadres matching what has been typed so far."""
    found = cadre_picker(user=request.user, text=parse_search(request.GET.get("q")))
    return render(request, "cadres/_picker_results.html", {"found": found})


@login_required
def mark_deceased(request, pk: int):
    require_editor(user=request.user)
    cadre = get_object_or_404(
        cadres_visible_to(user=request.user).filter(status=CadreStatus.ON_REGISTER), pk=pk
    )
    form = DeathForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cadre_mark_deceased(cadre=cadre, died_on=form.cleaned_data["died_on"], by=request.user)
        except ValidationError as error:
            form.add_error("died_on", error.messages[0])
        else:
            messages.success(
                request,
                _("%(name)s is recorded as deceased; a condolence visit is planned.")
                % {"name": cadre.name},
            )
            return redirect(cadre.get_absolute_url())
    return render(
        request, "cadres/status_form.html", {"cadre": cadre, "form": form, "action": "deceased"}
    )


@login_required
def transfer_out(request, pk: int):
    require_editor(user=request.user)
    cadre = get_object_or_404(
        cadres_visible_to(user=request.user).filter(status=CadreStatus.ON_REGISTER), pk=pk
    )
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cadre_transfer_out(cadre=cadre, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request, _("%(name)s has been transferred out.") % {"name": cadre.name}
            )
            return redirect(cadre.get_absolute_url())
    return render(
        request, "cadres/status_form.html", {"cadre": cadre, "form": form, "action": "transfer"}
    )
