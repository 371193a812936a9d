"""One bad record never stops the plan.

Each rule computes its items for every cadre in one pass; a record that makes the
computation raise (a lunar birthday before the lunar calendar's first day, say) is
skipped and reported here, and everyone else's reminders still go. The daily plan
collects the reports (``collecting_problems``) and stores them as ``PlanProblem`` rows,
which administrators see on the dashboard and in admin; other readers of the rules (the
dashboard's birthdays, calendar feeds, "my reminders") only log them.

Nothing here writes to the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction

logger = logging.getLogger("reminders.rules")

T = TypeVar("T")

# The error text kept for administrators (the log has the traceback).
ERROR_TEXT_LENGTH = 500


@dataclass(frozen=True)
class Problem:
    """A record (or, with no cadre, a whole rule) the plan had to skip."""

    kind: str
    cadre_id: int | None
    error: str


_collected: ContextVar[list[Problem] | None] = ContextVar("plan_problems", default=None)


@contextmanager
def collecting_problems() -> Iterator[list[Problem]]:
    """Collect the records skipped by the rules computed inside the block."""
    problems: list[Problem] = []
    token = _collected.set(problems)
    try:
        yield problems
    finally:
        _collected.reset(token)


def skip_record(kind: str, cadre_id: int | None, error: Exception) -> None:
    """Report a record a rule skipped because computing it raised ``error``."""
    text = f"{type(error).__name__}: {error}"[:ERROR_TEXT_LENGTH]
    problems = _collected.get()
    if problems is None:
        # A page or feed: a warning without the traceback, which the plan's log has.
        logger.warning("Reminder rule %s skipped cadre %s: %s", kind, cadre_id, text)
        return
    logger.error("Reminder rule %s skipped cadre %s", kind, cadre_id, exc_info=error)
    problems.append(Problem(kind=kind, cadre_id=cadre_id, error=text))


def isolated_rule(kind: str, compute: Callable[..., list[T]], *args, **kwargs) -> list[T]:
    """The items of one rule, or none when the rule as a whole raises (it is reported
    with no cadre): the other rules still go. A savepoint keeps a failed query from
    aborting the plan's transaction on PostgreSQL."""
    try:
        with transaction.atomic():
            return compute(*args, **kwargs)
    except Exception as error:
        skip_record(kind, None, error)
        return []
