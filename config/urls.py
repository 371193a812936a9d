from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView

import assistance.urls
import checkups.urls
import distributions.urls
import funds.urls
from reminders import health
from reports import app_download_urls as downloads


def with_downloads(app_urls, download_urls):
    """An app's URLs and those of its downloads, which reports serves so as to write
    them to the export log (reports/app_downloads.py), under the app's namespace."""
    return include((app_urls.urlpatterns + download_urls, app_urls.app_name))


admin.site.site_header = "银龄 · 离退休干部服务管理"
admin.site.site_title = "银龄"
admin.site.index_title = "管理后台"

urlpatterns = [
    path(
        "",
        login_required(RedirectView.as_view(pattern_name="reports:dashboard", permanent=False)),
        name="home",
    ),
    path("dashboard/", include("reports.urls")),
    path("accounts/", include("accounts.urls")),
    path("cadres/", include("cadres.urls")),
    path("branches/", include("branches.urls")),
    path("activities/", include("activities.urls")),
    path("reminders/", include("reminders.urls")),
    path("ledger/", include("ledger.urls")),
    path("funds/", with_downloads(funds.urls, downloads.FUNDS)),
    path("assistance/", with_downloads(assistance.urls, downloads.ASSISTANCE)),
    path("checkups/", with_downloads(checkups.urls, downloads.CHECKUPS)),
    path("distributions/", with_downloads(distributions.urls, downloads.DISTRIBUTIONS)),
    # For a monitor: no sign-in, no personal data (reminders/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
