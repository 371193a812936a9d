"""The URLs of reports/app_downloads.py, by the app whose pages link to them: config/urls.py
adds each list to that app's URLs, so they keep the app's namespace and names (and the
access walks treat them as that app's pages)."""

from django.urls import path

from . import app_downloads

FUNDS = [
    path("report.xlsx", app_downloads.funds_report, name="report_xlsx"),
    path("report/per-head.xlsx", app_downloads.funds_reach, name="reach_xlsx"),
]
ASSISTANCE = [
    path("documents/<int:pk>/", app_downloads.assistance_document, name="document"),
    path("reports/cases.xlsx", app_downloads.assistance_cases, name="report_cases_xlsx"),
    path(
        "reports/scorecard.xlsx",
        app_downloads.assistance_scorecard,
        name="report_scorecard_xlsx",
    ),
]
CHECKUPS = [
    path("<int:pk>/list.xlsx", app_downloads.checkup_list, name="export"),
    path("files/<int:pk>/", app_downloads.checkup_report_file, name="report_file"),
]
DISTRIBUTIONS = [
    path("coverage.xlsx", app_downloads.distribution_coverage, name="coverage_xlsx"),
]
