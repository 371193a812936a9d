"""Every URL of the staff site, by what its <pk> is (PAGES) and who may use it (the
sets of pages that record, that only the bureau or administrators use, and so on): what
the access walks, the fuzz, the ID-number and the English-page walks go through. The list
comes from the URL conf, so a new page cannot escape the walks without being added here."""

from django.urls import get_resolver

STAFF_NAMESPACES = {
    "accounts",
    "activities",
    "assistance",
    "branches",
    "checkups",
    "distributions",
    "funds",
    "cadres",
    "ledger",
    "reminders",
    "reports",
}
# The calendar feed answers calendar apps, which cannot sign in: its secret token is the
# key (tests/reminders/test_feeds.py checks it without a login). /healthz answers a
# monitor with no personal data (tests/reminders/test_health.py).
# The language switch is for the sign-in page too (tests/accounts/test_language.py).
PUBLIC = {"accounts:login", "accounts:logout", "accounts:language", "reminders:feed", "healthz"}
# Pages that record something: branch secretaries read only (403).
EDITING = {
    "cadres:new",
    "cadres:edit",
    "cadres:family_new",
    "cadres:family_edit",
    "cadres:family_remove",
    "cadres:deceased",
    "cadres:transfer",
    "cadres:visit_new",
    "cadres:visit_edit",
    "cadres:visit_complete",
    "cadres:visit_reschedule",
    "cadres:visit_cancel",
    "cadres:need_new",
    "cadres:need_assign",
    "cadres:need_resolve",
    "branches:aide_new",
    "branches:aide_remove",
    "reports:scorecard_weights",
    "activities:new",
    "activities:edit",
    "activities:membership_new",
    "activities:membership_end",
    "activities:honour_new",
    "activities:suggestion_new",
    "activities:suggestion_answer",
    # The whole ledger import is for those who record.
    "ledger:upload",
    "ledger:template",
    "ledger:job",
    "ledger:job_progress",
    "ledger:commit",
    "assistance:new",
    "assistance:edit",
    "assistance:submit",
    "assistance:review",
    "assistance:decide",
    "assistance:pay",
    "assistance:close",
    "assistance:document_new",
    "distributions:new",
    "distributions:edit",
    "distributions:deliver",
    "distributions:delivery_undo",
    "checkups:record",
}
# Steps of an assistance case only the bureau takes, and the review only unit staff take:
# 403 to the other roles that record.
BUREAU_STEPS = {"assistance:decide", "assistance:pay", "assistance:close"}
UNIT_STEPS = {"assistance:review"}
# The full ID number is shown (on a logged request) to bureau staff and administrators only.
FULL_ID_NUMBER = {"cadres:id_number"}
# Import jobs are seen by their own user and administrators only.
OWN_ONLY = {"import_job"}
# Pages that record something which branch secretaries may nevertheless use, for the
# branches they lead only (recording their branch's 三会一课 is their job): not in
# EDITING, so the walk below expects 200 for their branch and 404 for another unit's;
# test_branch_secretaries_write_only_for_the_branches_they_lead covers the rest.
BRANCH_SECRETARY_WRITES = {"branches:meeting_new", "branches:meeting_edit"}
# Branch secretaries handle no money: every page of the funds answers them 403.
# The standards and the budget's computation are for administrators (403 to everyone
# else); adjusting a budget line is for the bureau and administrators (403 to unit
# staff).
MONEY_ADMINISTRATORS = {
    "funds:standards",
    "funds:standards_copy",
    "funds:standard_edit",
    "funds:standard_delete",
    "funds:compute",
}
MONEY_BUREAU = {"funds:line_new", "funds:line_adjust"}
# Units are assessed: branch secretaries, whose scope is their branches' members, are
# refused the unit scorecard (403); unit staff see their own units' rows.
UNIT_REPORTS = {"reports:scorecard", "reports:scorecard_list"}
# The scorecard's weights are set by administrators only (403 for everyone else).
ADMINISTRATORS_ONLY = {"reports:scorecard_weights"}
# URL name → the kind of record its <pk> is (None: no argument).
PAGES = {
    "home": None,
    "accounts:password_change": None,
    "accounts:profile": None,
    "cadres:registry": None,
    "cadres:new": None,
    "cadres:detail": "cadre",
    "cadres:edit": "cadre",
    "cadres:history": "cadre",
    "cadres:id_number": "cadre",
    "cadres:picker": None,
    "cadres:deceased": "cadre",
    "cadres:transfer": "cadre",
    "cadres:family_new": "cadre",
    "cadres:family_edit": "family_contact",
    "cadres:family_remove": "family_contact",
    "cadres:visits": None,
    "cadres:visit_new": None,
    "cadres:visit_todo": None,
    "cadres:visit_detail": "visit",
    "cadres:visit_history": "visit",
    "cadres:visit_edit": "visit",
    "cadres:visit_complete": "visit",
    "cadres:visit_reschedule": "visit",
    "cadres:visit_cancel": "visit",
    "cadres:needs": None,
    "cadres:need_new": None,
    "cadres:need_assign": "need",
    "cadres:need_resolve": "need",
    "branches:list": None,
    "branches:detail": "branch",
    "branches:history": "branch",
    "branches:meeting_new": "branch",
    "branches:meeting_edit": "meeting",
    "branches:aide_new": "branch",
    "branches:aide_remove": "aide",
    "reminders:mine": None,
    "reports:dashboard": None,
    "reports:index": None,
    "reports:table": "report_slug",
    "reports:scorecard": None,
    "reports:scorecard_list": None,
    "reports:scorecard_weights": None,
    "reports:export_cadres": None,
    "reports:export_visits": None,
    "reports:export_attendance": None,
    "reminders:log": None,
    "reminders:resend": "failed_digest",
    "reminders:campaign": None,
    "reminders:campaign_holiday": "holiday",
    "activities:list": None,
    "activities:calendar": None,
    "activities:new": None,
    "activities:detail": "activity",
    "activities:history": "activity",
    "activities:edit": "activity",
    "activities:teams": None,
    "activities:team": "team",
    "activities:membership_new": "team",
    "activities:membership_end": "membership",
    "activities:honours": None,
    "activities:honour_new": None,
    "activities:suggestions": None,
    "activities:suggestion_new": None,
    "activities:suggestion_answer": "suggestion",
    "reminders:feed_reset": None,
    "ledger:upload": None,
    "ledger:template": None,
    "ledger:job": "import_job",
    "ledger:job_progress": "import_job",
    "ledger:commit": "import_job",
    "assistance:list": None,
    "assistance:pending": None,
    "assistance:new": None,
    "assistance:detail": "assistance_case",
    "assistance:history": "assistance_case",
    "assistance:edit": "assistance_case",
    "assistance:submit": "assistance_case",
    "assistance:review": "assistance_case",
    "assistance:decide": "assistance_case",
    "assistance:pay": "assistance_case",
    "assistance:close": "assistance_case",
    "assistance:document_new": "assistance_case",
    "assistance:document": "assistance_document",
    "assistance:report_cases": None,
    "assistance:report_scorecard": None,
    "assistance:report_cases_xlsx": None,
    "assistance:report_scorecard_xlsx": None,
    "distributions:list": None,
    "distributions:new": None,
    "distributions:coverage": None,
    "distributions:coverage_xlsx": None,
    "distributions:detail": "distribution",
    "distributions:edit": "distribution",
    "distributions:deliver": "distribution",
    "distributions:delivery_undo": "delivery",
    "funds:overview": None,
    "funds:line_new": None,
    "funds:line_detail": "budget_line",
    "funds:line_adjust": "budget_line",
    "funds:line_history": "budget_line",
    "funds:standards": None,
    "funds:standards_copy": None,
    "funds:standard_edit": "funds_standard",
    "funds:standard_delete": "funds_standard",
    "funds:compute": None,
    "funds:expenses": None,
    "funds:expense_new": None,
    "funds:expense_detail": "expense",
    "funds:expense_void": "expense",
    "funds:visit_budget": None,
    "funds:report": None,
    "funds:reach": None,
    "funds:report_xlsx": None,
    "funds:reach_xlsx": None,
    "checkups:index": None,
    "checkups:campaign": "checkup_campaign",
    "checkups:export": "checkup_campaign",
    "checkups:record": "checkup_cadre",
    "checkups:report_file": "checkup",
}


def staff_url_names():
    names = set()
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace in STAFF_NAMESPACES:
            names |= {f"{namespace}:{p.name}" for p in pattern.url_patterns if p.name}
        elif getattr(pattern, "name", None):  # "home", "healthz": at the root
            names.add(pattern.name)
    return names
