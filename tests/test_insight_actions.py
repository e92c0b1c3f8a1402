"""Improvement actions: recorded by a team leader, drawn on the run chart, reviewed on their date
(the owner is reminded once by the worker's round), linked to a narratives barrier code."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.insight.actions import record_action, remind_due, review_action
from alongside.insight.models import ImprovementAction
from alongside.insight.services import refresh
from alongside.notifications.models import Notification
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from tests.insight_world import InsightWorld, build_insight_world

pytestmark = pytest.mark.django_db
INDICATOR = "personal.own-goal"


@pytest.fixture
def insight_world() -> InsightWorld:
    return build_insight_world()


def _leader(world: InsightWorld) -> User:
    user = create_user("leader", "correct-horse-battery", display_name="Lea Leader")
    organisations.assign_role(
        Actor.system(), user, world.north, Role.TEAM_LEADER, started_on=date(2025, 1, 1)
    )
    return user


def test_a_team_leader_records_an_action_linked_to_a_barrier(insight_world: InsightWorld) -> None:
    leader = _leader(insight_world)
    action = record_action(
        Actor(leader, Role.TEAM_LEADER),
        insight_world.north,
        theme="",
        indicator=INDICATOR,
        what="Ask every new person what they want from their stay, in their words",
        owner=insight_world.staff,
        review_on=timezone.localdate() + timedelta(days=30),
        barrier="recovery.control.no-choice",
    )
    assert action.theme == "practice.personal.individuality"  # from the indicator
    with pytest.raises(PermissionDenied):  # a key worker does not
        record_action(
            Actor(insight_world.staff, Role.KEY_WORKER),
            insight_world.north,
            theme="practice.relationship.hope",
            what="x",
            owner=insight_world.staff,
            review_on=timezone.localdate(),
        )


def test_the_action_is_checked(insight_world: InsightWorld) -> None:
    leader = _leader(insight_world)
    outsider = create_user("outsider", "correct-horse-battery")
    with pytest.raises(ValidationError) as caught:
        record_action(
            Actor(leader, Role.TEAM_LEADER),
            insight_world.north,
            theme="practice.nonsense",
            indicator="no.such",
            what=" ",
            owner=outsider,
            review_on=timezone.localdate() - timedelta(days=1),
            barrier="practice.relationship.hope",
        )
    assert set(caught.value.message_dict) == {
        "theme",
        "indicator",
        "what",
        "owner",
        "review_on",
        "barrier",
    }


def test_the_owner_is_reminded_once_on_the_review_date_and_reviews_it(
    insight_world: InsightWorld,
) -> None:
    leader = _leader(insight_world)
    today = timezone.localdate()
    action = record_action(
        Actor(leader, Role.TEAM_LEADER),
        insight_world.north,
        theme="practice.relationship.hope",
        what="Weekly hope round",
        owner=insight_world.staff,
        review_on=today + timedelta(days=1),
    )
    assert remind_due() == 0  # not yet
    later = timezone.now() + timedelta(days=1)
    assert remind_due(later) == 1
    assert remind_due(later) == 0  # once
    note = Notification.objects.get(recipient=insight_world.staff, code="insight.action_review_due")
    assert note.params["what"] == "Weekly hope round"
    with pytest.raises(ValidationError):
        review_action(Actor(insight_world.staff, Role.KEY_WORKER), action, note="")
    review_action(Actor(insight_world.staff, Role.KEY_WORKER), action, note="People liked it")
    action.refresh_from_db()
    assert action.reviewed_at is not None


def test_the_action_appears_on_the_run_chart(insight_world: InsightWorld) -> None:
    leader = _leader(insight_world)
    record_action(
        Actor(leader, Role.TEAM_LEADER),
        insight_world.north,
        theme="",
        indicator=INDICATOR,
        what="Goals in the person's words at admission",
        owner=insight_world.staff,
        review_on=timezone.localdate() + timedelta(days=30),
    )
    refresh()
    client = Client()
    client.force_login(leader)
    page = client.get(
        reverse("insight:unit", kwargs={"pk": insight_world.north.pk})
    ).content.decode()
    assert "Goals in the person&#x27;s words at admission" in page or "Goals in the person" in page
    assert 'class="annotation"' in page
    assert "action 1" in page


def test_recording_through_the_page(insight_world: InsightWorld) -> None:
    leader = _leader(insight_world)
    client = Client()
    client.force_login(leader)
    url = reverse("insight:add-action", kwargs={"pk": insight_world.north.pk})
    response = client.post(
        url,
        {
            "theme": "practice.relationship.partnership",
            "indicator": "relationship.notes-confirmed",
            "what": "Read notes aloud together",
            "owner": insight_world.staff.pk,
            "review_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
            "barrier": "",
        },
    )
    assert response.status_code == 302
    assert ImprovementAction.objects.filter(unit=insight_world.north).count() == 1
    # Someone who may read the unit but not lead it gets 404, and nothing is written.
    key_worker = Client()
    key_worker.force_login(insight_world.staff)
    assert key_worker.post(url, {"what": "x"}).status_code == 404
    assert ImprovementAction.objects.filter(unit=insight_world.north).count() == 1
