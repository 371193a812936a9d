"""The demo registry: serving staff help some branches, some visits are heart-to-heart
talks with a note, and the scorecard ranks the demo units."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from branches.models import BranchAide
from cadres.models import Visit
from reports.scorecard import unit_scorecard

pytestmark = pytest.mark.django_db


def test_demo_has_aides_talks_and_a_ranked_scorecard():
    call_command("seed_demo", cadres=150, seed=3, stdout=io.StringIO())
    aides = BranchAide.objects.select_related("user", "branch")
    assert aides.count() >= 3
    assert all(aide.user.role != User.Role.BRANCH_SECRETARY for aide in aides)
    talks = Visit.objects.filter(heart_to_heart=True)
    assert talks.exists() and not talks.filter(thoughts="").exists()
    year = timezone.localdate().year
    card = unit_scorecard(user=User.objects.get(username="admin"), year=year)
    ranked = [row for row in card.rows if row.rank is not None]
    assert len(ranked) >= 2
    scores = [row.score for row in ranked]
    assert scores == sorted(scores, reverse=True)
