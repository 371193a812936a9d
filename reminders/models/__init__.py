"""The reminders app's models: holidays and their calendars (``holidays``), the kinds of
reminder and their settings (``rules``), the daily plan's outbox of digests and items
(``outbox``), calendar feeds (``feeds``), and the alerts and skipped records
administrators are shown when reminders go wrong (``troubles``). Everything is
importable from ``reminders.models``, where Django, the migrations and the other apps
look for it."""

# isort: off
# In the order the models were first registered (the order Django lists them in).
from .holidays import CalendarKind, Holiday
from .rules import ReminderKind, ReminderRule
from .outbox import Digest, PlanRun, ReminderItem
from .feeds import CalendarFeed, new_feed_token
from .troubles import DeliveryAlert, PlanProblem

# isort: on

__all__ = [
    "CalendarFeed",
    "CalendarKind",
    "DeliveryAlert",
    "Digest",
    "Holiday",
    "PlanProblem",
    "PlanRun",
    "ReminderItem",
    "ReminderKind",
    "ReminderRule",
    "new_feed_token",
]
