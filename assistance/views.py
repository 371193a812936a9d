"""Pages of 特困帮扶 cases: the list, 待办帮扶, opening a case, its page and history,
editing a draft, each workflow step, and the supporting documents. A case outside the
user's scope answers 404; a step the user's role never takes answers 403 (branch
secretaries read only); a step the case is not ready for goes back to the case page
with the reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import history_entries
from accounts.models import Unit
from accounts.scoping import require_editor, scope_queryset
from cadres.models import CadreStatus
from cadres.picking import chosen_cadre, preset_cadre
from cadres.selectors import cadres_visible_to

from . import services
from .forms import CaseFilterForm, CaseForm, DecisionForm, DocumentForm, PaymentForm, ReviewForm
from .models import AssistanceCase
from .reports import year_choices
from .selectors import (
    case_for,
    case_list,
    eligibility_hints,
    next_step,
    pending_cases,
)
from .steps import STEP_LABELS, Step, may_add_documents, may_edit, may_take, may_take_on

PAGE_SIZE = 50


def add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _openable_cadres(user):
    return cadres_visible_to(user=user).exclude(status=CadreStatus.TRANSFERRED)


@login_required
def case_index(request):
    units = scope_queryset(Unit.objects.order_by("name"), user=request.user, unit_path="")
    form = CaseFilterForm(
        request.GET or None, units=units, years=year_choices(today=timezone.localdate())
    )
    page = Paginator(case_list(user=request.user, **form.values()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "assistance/case_list.html",
        {
            "form": form,
            "page": page,
            "query": bool(request.GET.keys() - {"page"}),
            "can_open": may_take(request.user, Step.SUBMIT),
        },
    )


@login_required
def pending(request):
    page = Paginator(pending_cases(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page:
        case.next = next_step(case)
    return render(request, "assistance/pending.html", {"page": page})


@login_required
def case_new(request):
    require_editor(user=request.user)
    cadres = _openable_cadres(request.user)
    initial: dict = {}
    preset = preset_cadre(request, cadres, initial)
    form = CaseForm(request.POST or None, initial=initial, cadres=cadres)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.assistance_case_open(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The case has been drafted. Attach the documents, then submit it.")
            )
            return redirect(case)
    preset = preset or chosen_cadre(form, cadres)
    return render(
        request,
        "assistance/case_form.html",
        {
            "form": form,
            "preset": preset,
            "hints": eligibility_hints(cadre=preset) if preset else None,
        },
    )


@login_required
def case_detail(request, pk: int):
    case = case_for(user=request.user, pk=pk)
    user = request.user
    steps = [step for step in STEP_LABELS if may_take_on(user, step, case)]
    return render(
        request,
        "assistance/case_detail.html",
        {
            "case": case,
            "tab": "case",
            "documents": case.documents.select_related("uploaded_by"),
            "hints": eligibility_hints(cadre=case.cadre),
            "next": next_step(case),
            "steps": [{"step": step, "label": STEP_LABELS[step]} for step in steps],
            "can_edit": may_edit(user, case),
            "can_attach": may_add_documents(user, case),
            "drafter_waits": (
                case.status == "submitted"
                and case.created_by_id == user.pk
                and may_take(user, Step.REVIEW)
            ),
        },
    )


@login_required
def case_history(request, pk: int):
    case = case_for(user=request.user, pk=pk)
    return render(
        request,
        "assistance/case_history.html",
        {"case": case, "tab": "history", "entries": history_entries(instance=case)},
    )


@login_required
def case_edit(request, pk: int):
    require_editor(user=request.user)
    case = case_for(user=request.user, pk=pk)
    if not may_edit(request.user, case):
        messages.error(request, _("Only a draft can be changed."))
        return redirect(case)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.assistance_case_update(
                case=case,
                user=request.user,
                category=form.cleaned_data["category"],
                circumstances=form.cleaned_data["circumstances"],
                amount_requested=form.cleaned_data["amount_requested"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect(case)
    return render(
        request,
        "assistance/case_form.html",
        {"form": form, "case": case, "hints": eligibility_hints(cadre=case.cadre)},
    )


def _step_case(request, pk: int, step: str) -> tuple[AssistanceCase, str]:
    """The case for a step page: 403 for a role that never takes the step, 404 outside
    the user's scope; with the reason (else "") when the step is not open to the user on
    this case now."""
    require_editor(user=request.user)
    if not may_take(request.user, step):
        raise PermissionDenied
    case = case_for(user=request.user, pk=pk)
    if may_take_on(request.user, step, case):
        return case, ""
    if step == Step.REVIEW and case.created_by_id == request.user.pk:
        return case, _("The case must be reviewed by a colleague: you drafted it yourself.")
    return case, _("This step cannot be taken now: the case is %(status)s.") % {
        "status": case.get_status_display()
    }


def _step_page(request, case, step: str, form, done: str, action, *, unavailable: str = ""):
    """Show the step's form; on a valid POST take the step through ``action``. A step
    not open now shows why (and a POST goes back to the case with the reason)."""
    if unavailable:
        if request.method == "POST":
            messages.error(request, unavailable)
            return redirect(case)
        form = None
    elif request.method == "POST" and (form is None or form.is_valid()):
        try:
            action(form.cleaned_data if form is not None else {})
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(case)
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(case)
    return render(
        request,
        "assistance/case_step.html",
        {
            "case": case,
            "form": form,
            "step": step,
            "title": STEP_LABELS[step],
            "unavailable": unavailable,
        },
    )


@login_required
def case_submit(request, pk: int):
    case, unavailable = _step_case(request, pk, Step.SUBMIT)
    return _step_page(
        request,
        case,
        Step.SUBMIT,
        None,
        _("The case has been submitted for the unit's review."),
        lambda data: services.assistance_case_submit(case=case, user=request.user),
        unavailable=unavailable,
    )


@login_required
def case_review(request, pk: int):
    case, unavailable = _step_case(request, pk, Step.REVIEW)
    return _step_page(
        request,
        case,
        Step.REVIEW,
        ReviewForm(request.POST or None),
        _("The unit's opinion has been recorded; the case goes to the bureau."),
        lambda data: services.assistance_case_review(
            case=case, user=request.user, opinion=data["review_opinion"]
        ),
        unavailable=unavailable,
    )


@login_required
def case_decide(request, pk: int):
    case, unavailable = _step_case(request, pk, Step.DECIDE)
    form = DecisionForm(request.POST or None, initial={"amount_approved": case.amount_requested})

    def decide(data):
        if data["decision"] == DecisionForm.APPROVE:
            return services.assistance_case_approve(
                case=case,
                user=request.user,
                amount_approved=data["amount_approved"],
                note=data["note"],
            )
        return services.assistance_case_refuse(
            case=case, user=request.user, reason=data["refusal_reason"]
        )

    done = (
        _("The case has been refused.")
        if request.POST.get("decision") == DecisionForm.REFUSE
        else _("The case has been approved.")
    )
    return _step_page(request, case, Step.DECIDE, form, done, decide, unavailable=unavailable)


@login_required
def case_pay(request, pk: int):
    case, unavailable = _step_case(request, pk, Step.PAY)
    return _step_page(
        request,
        case,
        Step.PAY,
        PaymentForm(request.POST or None, case=case),
        _("The payment has been recorded."),
        lambda data: services.assistance_case_pay(
            case=case,
            user=request.user,
            paid_on=data["paid_on"],
            amount=data["amount_paid"],
            method=data["payment_method"],
            overspend_reason=data["overspend_reason"],
        ),
        unavailable=unavailable,
    )


@login_required
def case_close(request, pk: int):
    case, unavailable = _step_case(request, pk, Step.CLOSE)
    return _step_page(
        request,
        case,
        Step.CLOSE,
        None,
        _("The case has been closed."),
        lambda data: services.assistance_case_close(case=case, user=request.user),
        unavailable=unavailable,
    )


@login_required
def document_new(request, pk: int):
    require_editor(user=request.user)
    case = case_for(user=request.user, pk=pk)
    if not may_add_documents(request.user, case):
        messages.error(request, _("Documents cannot be added to a closed case."))
        return redirect(case)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assistance_document_add(
                case=case,
                user=request.user,
                file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document has been attached."))
            return redirect(case)
    return render(request, "assistance/document_form.html", {"case": case, "form": form})
