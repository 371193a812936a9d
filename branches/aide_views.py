"""Pages that assign serving staff to help a branch (在职干部协助) and end their help.
Unit staff, bureau staff and administrators do it for the branches of their units;
branch secretaries read the aides on the branch page only (403 here)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.forms import form_add_service_errors
from accounts.scoping import require_editor
from cadres.selectors import staff_visible_to

from .forms import BranchAideEndForm, BranchAideForm
from .models import BranchAide
from .selectors import aide_for_edit, branch_for_aide_edit
from .services import branch_aide_add, branch_aide_end


@login_required
def aide_new(request, pk: int):
    require_editor(user=request.user)
    branch = branch_for_aide_edit(user=request.user, pk=pk)
    form = BranchAideForm(
        request.POST or None,
        instance=BranchAide(branch=branch),
        initial={"started_on": timezone.localdate()},
        staff=staff_visible_to(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            aide = branch_aide_add(branch=branch, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now helps %(branch)s.")
                % {"name": aide.user.display_name, "branch": branch.name},
            )
            return redirect(aide.get_absolute_url())
    return render(request, "branches/aide_form.html", {"form": form, "branch": branch})


@login_required
def aide_remove(request, pk: int):
    """End an aide's help, after a confirmation page."""
    require_editor(user=request.user)
    aide = aide_for_edit(user=request.user, pk=pk)
    form = BranchAideEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            branch_aide_end(aide=aide, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s no longer helps %(branch)s.")
                % {"name": aide.user.display_name, "branch": aide.branch.name},
            )
            return redirect(aide.get_absolute_url())
    return render(
        request, "branches/aide_remove.html", {"form": form, "aide": aide, "branch": aide.branch}
    )
