"""Not-on-track and risk alerts: raised with the response that causes them, told to the care
team and the person, acknowledged once by care staff, escalated once to the team leader; and
the reliable-change arithmetic they rest on, against numbers worked out by hand."""

from __future__ import annotations

import math
import statistics
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.alerts import services as alerts
from alongside.alerts.models import Alert, AlertKind
from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.insight.reliability import cronbach_alpha, jacobson_truax
from alongside.measures import services as measures
from alongside.measures.definitions import current_version
from alongside.measures.models import Instrument, ReliabilityEstimate
from alongside.measures.reliable import Basis, rci, refresh_estimates, rules_for
from alongside.measures.scoring import check_rules, risk_hits
from alongside.notifications.models import Notification
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from alongside.reminders.models import Reminder, ReminderKind
from alongside.reminders.worker import run_round
from tests.access_matrix_measures import answer_chime, chime_answers
from tests.personas import Persona, World

pytestmark = pytest.mark.django_db

# Four respondents, two items. Item 1: 2, 4, 6, 8 (variance 20/3); item 2: 3, 4, 7, 8 (variance
# 17/3); totals 5, 8, 13, 16 (mean 10.5, squared deviations 30.25 + 6.25 + 6.25 + 30.25 = 73,
# variance 73/3). Alpha = 2/1 x (1 - (37/3) / (73/3)) = 2 x 36/73 = 72/73 = 0.9863.
# SD of totals sqrt(73/3); standard error SD x sqrt(1 - 72/73) = sqrt(73/3 x 1/73) = sqrt(1/3)
# = 0.5774; SE of a difference sqrt(2) x 0.5774 = 0.8165; threshold 1.96 x 0.8165 = 1.6003.
MATRIX = [[2, 3], [4, 4], [6, 7], [8, 8]]


def test_alpha_and_reliable_change_index_by_hand() -> None:
    alpha = cronbach_alpha(MATRIX)
    assert alpha is not None
    assert alpha == pytest.approx(72 / 73)
    sd = math.sqrt(73 / 3)
    assert statistics.stdev([5, 8, 13, 16]) == pytest.approx(sd)
    assert jacobson_truax(sd, alpha) == pytest.approx(1.6003, abs=1e-4)
    # From 10 to 12: 2 / 0.8165 = 2.449, beyond 1.96, reliable; 10 to 11.5: 1.837, not.
    assert rci(10, 12, sd, alpha) == pytest.approx(2.4495, abs=1e-4)
    assert rci(10, 11.5, sd, alpha) == pytest.approx(1.8371, abs=1e-4)
    assert rci(12, 10, sd, alpha) == pytest.approx(-2.4495, abs=1e-4)


def leader_of_ward(world: World) -> User:
    leader = create_user("lea", "pw-lea-12345", display_name="Lea")
    organisations.assign_role(
        Actor.system(), leader, world.ward, Role.TEAM_LEADER, started_on=timezone.localdate()
    )
    return leader


def codes_for(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("code", flat=True))


def worse_check_in(world: World) -> Alert:
    answer_chime(world, 7, at=timezone.now() - timedelta(days=2))
    answer_chime(world, 3)
    return Alert.objects.get(person=world.p1)


def test_a_worse_check_in_raises_one_alert_told_to_key_worker_and_person(world: World) -> None:
    alert = worse_check_in(world)
    assert alert.kind == AlertKind.NOT_ON_TRACK
    assert alert.subject == "overall"
    assert alert.params["previous"] == 7
    assert alert.params["current"] == 3
    # Our own check-in with too few answers: the chosen 2 points, no claim about chance.
    assert alert.params["basis"] == Basis.PROVISIONAL
    assert alert.params["threshold"] == 2
    assert alert.unit_id == world.ward.pk
    assert alert.acknowledge_by - alert.raised_at == timedelta(hours=72)
    assert codes_for(world.users[Persona.KEY_WORKER]) == ["alerts.not_on_track"]
    told = Notification.objects.get(recipient=world.users[Persona.KEY_WORKER])
    assert told.params["points"] == 2
    assert "worse than last time by 2 points or more" in told.shown_text
    assert world.p1.user is not None
    assert codes_for(world.p1.user) == ["alerts.own_told"]
    assert codes_for(world.users[Persona.FAMILY]) == []
    assert AuditEvent.objects.filter(object_type="alerts.Alert", action="create").count() == 1


def test_better_small_and_old_changes_raise_nothing(world: World) -> None:
    answer_chime(world, 3, at=timezone.now() - timedelta(days=3))
    answer_chime(world, 7, at=timezone.now() - timedelta(days=2))  # better
    answer_chime(world, 6, at=timezone.now() - timedelta(days=1))  # worse by 1 only
    answer_chime(world, 1, at=timezone.now() - timedelta(days=40))  # history, and not the newest
    assert not Alert.objects.exists()


def phq9_with_wording() -> Instrument:
    instrument = Instrument.objects.get(code="phq9")
    version = current_version(instrument)
    assert version is not None
    # The shipped placeholders stand in for the licensed wording, which this test does not need.
    version.wording_loaded = True
    version.save(update_fields=["wording_loaded"])
    return instrument


def phq9_answers(q9: str) -> dict[str, object]:
    answers: dict[str, object] = {f"q{n}": "0" for n in range(1, 9)}
    answers["q9"] = q9
    if q9 != "0":
        answers["q10"] = "0"  # asked only when some item is above 0
    return answers


def test_phq9_item_9_at_one_or_more_raises_a_risk_alert(world: World) -> None:
    instrument = phq9_with_wording()
    version = current_version(instrument)
    assert version is not None
    assert version.scoring["risk_items"] == [
        {"code": "self_harm_thoughts", "item": "q9", "at_least": 1}
    ]
    assert world.p1.user is not None
    me = Actor(world.p1.user, "person")
    measures.submit_response(me, world.p1, version, phq9_answers("0"))
    assert not Alert.objects.exists()
    measures.submit_response(me, world.p1, version, phq9_answers("1"))
    alert = Alert.objects.get()
    assert (alert.kind, alert.subject) == (AlertKind.RISK_ITEM, "self_harm_thoughts")
    assert alert.params == {"instrument": "phq9", "item": "q9", "value": 1.0, "at_least": 1.0}
    assert alert.acknowledge_by - alert.raised_at == timedelta(hours=4)
    assert codes_for(world.users[Persona.KEY_WORKER]) == ["alerts.risk_item"]


def test_risk_items_are_checked_against_the_questionnaire() -> None:
    rules = {"scales": [], "risk_items": [{"code": "x", "item": "q9", "at_least": 1}]}
    assert check_rules(rules, {"q9": "choice"}) == []
    assert check_rules(rules, {"q1": "choice"})  # no such item
    assert check_rules({"risk_items": [{"code": "x", "item": "q9", "at_least": "1"}]}, {"q9": "c"})
    assert [h.code for h in risk_hits(rules, {"q9": "2"})] == ["x"]
    assert risk_hits(rules, {"q9": "0"}) == []
    assert risk_hits(rules, {}) == []


def test_the_key_worker_acknowledges_once_and_the_caseload_badge_goes(world: World) -> None:
    alert = worse_check_in(world)
    client = Client()
    client.force_login(world.users[Persona.KEY_WORKER])
    caseload = client.get(reverse("workspace:caseload")).content.decode()
    assert "1 alert to acknowledge" in caseload
    page = client.get(reverse("alerts:now", args=[world.p1.pk])).content.decode()
    # Her crisis plan comes before the alert.
    assert page.index("plan-heading") < page.index("open-heading")
    assert world.crisis_version.what_helps
    assert world.crisis_version.what_helps in page
    url = reverse("alerts:acknowledge", args=[world.p1.pk, alert.pk])
    assert client.post(url).status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.users[Persona.KEY_WORKER]
    assert alert.acknowledged_role == Role.KEY_WORKER
    assert "alert to acknowledge" not in client.get(reverse("workspace:caseload")).content.decode()
    # The second time (or a second colleague) changes nothing and says so.
    first = alert.acknowledged_at
    again = client.post(url, follow=True).content.decode()
    assert "already been acknowledged" in again
    alert.refresh_from_db()
    assert alert.acknowledged_at == first
    assert AuditEvent.objects.filter(object_type="alerts.Alert", why="acknowledged").count() == 1


def test_only_care_staff_acknowledge(world: World) -> None:
    alert = worse_check_in(world)
    assert world.p1.user is not None
    with pytest.raises(PermissionDenied):
        alerts.acknowledge(Actor(world.p1.user, "person"), alert)
    with pytest.raises(PermissionDenied):
        alerts.acknowledge(Actor(world.users[Persona.CASEWORKER], Role.CASEWORKER), alert)
    alerts.acknowledge(Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER), alert)
    with pytest.raises(ValidationError):
        alerts.acknowledge(Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER), alert)


def test_the_person_sees_her_crisis_plan_and_that_her_team_was_told(world: World) -> None:
    worse_check_in(world)
    assert world.p1.user is not None
    client = Client()
    client.force_login(world.p1.user)
    page = client.get(reverse("alerts:now", args=[world.p1.pk])).content.decode()
    assert "shared with your care team" in page
    assert "Acknowledge" not in page
    assert "Jacobson" not in page


def test_caseload_counts_no_alerts_for_a_caseworker_without_measures(world: World) -> None:
    worse_check_in(world)
    client = Client()
    client.force_login(world.users[Persona.CASEWORKER])
    page = client.get(reverse("workspace:caseload")).content.decode()
    assert world.p1.shown_name in page
    assert "alert to acknowledge" not in page


def test_a_missed_alert_is_escalated_to_the_team_leader_exactly_once(world: World) -> None:
    leader = leader_of_ward(world)
    missed = worse_check_in(world)
    before = run_round("w", now=timezone.now() + timedelta(hours=71))
    assert Reminder.objects.filter(kind=ReminderKind.ALERT_MISSED).count() == 0
    assert before.sent == 0 or "alerts.escalated" not in codes_for(leader)
    later = timezone.now() + timedelta(hours=73)
    run_round("w", now=later)
    run_round("w", now=later + timedelta(hours=1))
    assert codes_for(leader).count("alerts.escalated") == 1
    missed.refresh_from_db()
    assert missed.escalated_at is not None
    assert missed.acknowledged_at is None
    assert Reminder.objects.filter(kind=ReminderKind.ALERT_MISSED).count() == 1
    client = Client()
    client.force_login(leader)
    page = client.get(reverse("alerts:now", args=[world.p1.pk])).content.decode()
    assert "Escalated to the team leader" in page


def test_an_acknowledged_alert_is_never_escalated(world: World) -> None:
    leader = leader_of_ward(world)
    alert = worse_check_in(world)
    alerts.acknowledge(Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER), alert)
    run_round("w", now=timezone.now() + timedelta(days=5))
    assert "alerts.escalated" not in codes_for(leader)
    assert not Reminder.objects.filter(kind=ReminderKind.ALERT_MISSED).exists()


def test_chart_says_two_points_until_the_service_has_enough_answers(world: World) -> None:
    answer_chime(world, 7, at=timezone.now() - timedelta(days=30))
    answer_chime(world, 3, at=timezone.now() - timedelta(days=20))
    client = Client()
    client.force_login(world.users[Persona.KEY_WORKER])
    url = reverse("measures:trend", args=[world.p1.pk, "chime_checkin"])
    page = client.get(url).content.decode()
    assert "Worse by 2 or more" in page
    assert "says nothing about chance" in page
    assert "Reliably worse" not in page
    assert "more than chance" not in page
    # With the service's own estimate: reliable, with alpha and n for staff, not for her.
    instrument = Instrument.objects.get(code="chime_checkin")
    ReliabilityEstimate.objects.create(
        instrument=instrument,
        scale="overall",
        n=140,
        alpha=0.86,
        sd=2.1,
        threshold=jacobson_truax(2.1, 0.86),
        computed_at=timezone.now(),
    )
    page = client.get(url).content.decode()
    assert "Reliably worse" in page
    assert "alpha 0.86, 140 answers" in page
    assert world.p1.user is not None
    client.force_login(world.p1.user)
    mine = client.get(url).content.decode()
    assert "Reliably worse" in mine
    assert "0.86" not in mine


def test_licensed_measures_keep_their_published_threshold(world: World) -> None:
    instrument = Instrument.objects.get(code="phq9")
    version = current_version(instrument)
    assert version is not None
    rule = rules_for(instrument, version.scoring)["total"]
    assert (rule.basis, rule.threshold) == (Basis.PUBLISHED, 6.0)


def test_the_estimate_waits_for_enough_answers_then_uses_them(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert world.p1.user is not None
    version = current_version(Instrument.objects.get(code="chime_checkin"))
    assert version is not None
    me = Actor(world.p1.user, "person")
    rows = [[2, 3, 4, 3, 2], [5, 6, 5, 7, 6], [8, 7, 9, 8, 8], [4, 4, 3, 5, 4]]
    for row in rows[:3]:
        answers = dict(zip(chime_answers(0), row, strict=True))
        measures.submit_response(me, world.p1, version, answers)
    refresh_estimates(force=True)
    few = ReliabilityEstimate.objects.get(instrument__code="chime_checkin", scale="overall")
    assert (few.n, few.threshold) == (3, None)
    monkeypatch.setattr("alongside.measures.reliable.MIN_RESPONSES", 4)
    answers = dict(zip(chime_answers(0), rows[3], strict=True))
    measures.submit_response(me, world.p1, version, answers)
    # Refreshed at most hourly, unless forced.
    assert refresh_estimates() == 0
    refresh_estimates(force=True)
    enough = ReliabilityEstimate.objects.get(instrument__code="chime_checkin", scale="overall")
    alpha = cronbach_alpha(rows)
    assert enough.n == 4
    assert alpha is not None
    assert enough.alpha == pytest.approx(alpha)
    means = [sum(row) / 5 for row in rows]
    assert enough.threshold == pytest.approx(jacobson_truax(statistics.stdev(means), alpha))


def test_without_alerts_nothing_waits_and_her_home_has_no_panel(world: World) -> None:
    assert world.p1.user is not None
    client = Client()
    client.force_login(world.p1.user)
    page = client.get(reverse("alerts:now", args=[world.p1.pk])).content.decode()
    assert "Nothing is waiting." in page
    assert "My crisis plan" in page  # her plan is there whether or not anything was raised
    assert 'id="now-heading"' not in client.get(reverse("portal:me")).content.decode()
    worse_check_in(world)
    home = client.get(reverse("portal:me")).content.decode()
    assert 'id="now-heading"' in home
    assert home.index('id="now-heading"') < home.index('id="plan-heading"')
