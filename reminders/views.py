from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Digest
from .selectors import digests_for, upcoming_sections
from .services import digest_requeue
from .tasks import send_digest


@login_required
def mine(request):
    today = timezone.localdate()
    sections = upcoming_sections(user=request.user, today=today)
    recent = digests_for(user=request.user).filter(recipient=request.user)[:10]
    return render(
        request,
        "reminders/mine.html",
        {"sections": sections, "today": today, "recent": recent},
    )


@login_required
def log(request):
    digests = digests_for(user=request.user)
    status = request.GET.get("status", "")
    if status in Digest.Status.values:
        digests = digests.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        digests = digests.filter(recipient__full_name__icontains=query) | digests.filter(
            recipient__username__icontains=query
        )
    page = Paginator(digests.order_by("-send_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/log.html",
        {"page": page, "status": status, "q": query, "statuses": Digest.Status.choices},
    )


@login_required
def resend(request, pk: int):
    digest = get_object_or_404(digests_for(user=request.user), pk=pk)
    if digest.status != Digest.Status.FAILED:
        messages.error(request, _("Only a digest that failed can be sent again."))
        return redirect("reminders:log")
    if request.method == "POST":
        digest_requeue(digest=digest)
        send_digest.delay_on_commit(digest.pk)
        messages.success(request, _("The digest is queued to be sent again."))
        return redirect("reminders:log")
    return render(request, "reminders/resend_confirm.html", {"digest": digest})
