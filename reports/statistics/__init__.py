"""The standard statistical tables (统计报表): one registry of tables that the reports
index, each table's page, its .xlsx download and the tests all walk.

Every table reads through ``accounts.scoping.scope_queryset`` (unit staff see their units,
branch secretaries the members of their branches) and runs a fixed number of GROUP BY
queries, whatever the number of cadres, visits or activities. The tables live in a module
per family (the register, visits, activities, party branches), beside the reads they
share, what a table is, and how it is shown, headed and downloaded.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .activity_tables import activities_and_participation, volunteer_hours
from .branch_tables import branch_committee_ages
from .register_tables import (
    cadres_by_age_band,
    cadres_by_community,
    cadres_by_retirement_kind,
    hardship,
    living_situation,
    party_members,
)
from .report import StandardTable
from .visit_tables import condolence_money, visits_by_month

STANDARD_TABLES: tuple[StandardTable, ...] = (
    StandardTable(
        "age-bands",
        _("Cadres by unit and age band"),
        _("On the register, by unit: 69 and under, 70–79, 80–89, 90 and over."),
        cadres_by_age_band,
    ),
    StandardTable(
        "retirement-kind",
        _("Lixiu and tuixiu cadres by unit"),
        _("On the register, by unit and retirement kind."),
        cadres_by_retirement_kind,
    ),
    StandardTable(
        "party-members",
        _("Party members by unit"),
        _("Political status by unit, with the members fifty years in the Party."),
        party_members,
    ),
    StandardTable(
        "living-situation",
        _("Living situation by unit"),
        _("Living with family, empty nest, alone or in a care home; the aged living alone."),
        living_situation,
    ),
    StandardTable(
        "hardship",
        _("Hardship by unit"),
        _("Cadres with living difficulties or in extreme hardship."),
        hardship,
    ),
    StandardTable(
        "communities",
        _("Cadres by residential community"),
        _("On the register in each community (四就近): living alone, aged and alone, hardship."),
        cadres_by_community,
    ),
    StandardTable(
        "visits",
        _("Visits per month by occasion and unit"),
        _("Visits done in the year, month by month."),
        visits_by_month,
    ),
    StandardTable(
        "condolence-money",
        _("Condolence money by unit and holiday"),
        _("Money given on the year's visits, by holiday and other occasions."),
        condolence_money,
    ),
    StandardTable(
        "activities",
        _("Activities and participation"),
        _("Activities organised, registrations, attendance and participants by kind."),
        activities_and_participation,
    ),
    StandardTable(
        "volunteer-hours",
        _("Volunteer hours ranking"),
        _("The cadres with the most volunteer hours in the year."),
        volunteer_hours,
    ),
    StandardTable(
        "branch-ages",
        _("Average ages of branch committees"),
        _("The secretary's age and the average ages of each branch committee and its members."),
        branch_committee_ages,
    ),
)
TABLES_BY_SLUG = {table.slug: table for table in STANDARD_TABLES}
