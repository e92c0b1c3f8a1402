"""Her side of every record: writes only the person makes about records staff keep.

She answers an agreement (agree, decline, or comment) in her own words; she writes her own
account of a restrictive measure, and says whether the account written at the debrief is right;
she adds an option to a shared decision. Each is kept beside the staff record, never replacing
it, and the staff who work with her are told.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.notifications.recipients import key_workers
from alongside.notifications.services import notify
from alongside.people.models import Person
from alongside.safety import messages
from alongside.safety.agreements import TEXT, Agreement, AgreementAnswer, Answer
from alongside.safety.decisions import DecisionOption, SharedDecision
from alongside.safety.restrictive import EpisodeAccount, RestrictiveEpisode


def _her(actor: Actor, person: Person) -> User:
    if actor.user is None or actor.user.pk != person.user_id:
        raise PermissionDenied("only the person writes her side")
    return actor.user


def _words(text: str, field: str, *, required: bool, message: str) -> str:
    if required and not text.strip():
        raise ValidationError({field: message})
    if len(text) > TEXT:
        raise ValidationError({field: _("Keep it under 4000 characters.")})
    return text


def answer_agreement(
    actor: Actor, agreement: Agreement, *, answer: Answer | None, words: str = ""
) -> AgreementAnswer:
    """Her answer to an agreement. A comment needs words; agreeing or declining may stand alone."""
    author = _her(actor, agreement.person)
    if answer is None:
        raise ValidationError({"answer": _("Choose your answer.")})
    words = _words(
        words,
        "words",
        required=answer == Answer.COMMENT,
        message=_("Write what you want to say about it."),
    )
    with transaction.atomic():
        given = AgreementAnswer.objects.create(
            agreement=agreement, answer=answer, words=words, author=author, author_role=actor.role
        )
        record(actor, AuditAction.CREATE, obj=given, person_id=agreement.person_id)
        notify(
            key_workers(agreement.person, besides=[agreement.recorded_by]),
            messages.AGREEMENT_ANSWERED,
            {
                "name": agreement.person.shown_name,
                "topic": agreement.topic,
                "answer": str(Answer(answer).label),
            },
            reverse("safety:agreements", args=[agreement.person_id]),
        )
    return given


def write_episode_account(
    actor: Actor, episode: RestrictiveEpisode, *, words: str, debrief_is_right: bool | None
) -> EpisodeAccount:
    """Her own account of a measure. Words, or a yes/no on the debrief's account, or both."""
    author = _her(actor, episode.person)
    has_debrief = hasattr(episode, "debrief")
    if debrief_is_right is not None and not has_debrief:
        raise ValidationError({"debrief_is_right": _("There is no debrief account yet.")})
    words = _words(
        words,
        "words",
        required=debrief_is_right is None,
        message=_("Write what happened, in your own words."),
    )
    if debrief_is_right is False and not words.strip():
        raise ValidationError({"words": _("Say what is not right, so it can be put right.")})
    with transaction.atomic():
        account = EpisodeAccount.objects.create(
            episode=episode,
            words=words,
            debrief_is_right=debrief_is_right,
            author=author,
            author_role=actor.role,
        )
        record(actor, AuditAction.CREATE, obj=account, person_id=episode.person_id)
        notify(
            key_workers(episode.person, besides=[episode.recorded_by]),
            messages.EPISODE_ACCOUNT,
            {
                "name": episode.person.shown_name,
                "date": timezone.localdate(episode.started_at).isoformat(),
            },
            reverse("safety:episodes", args=[episode.person_id]),
        )
    return account


def add_option(
    actor: Actor, decision: SharedDecision, *, name: str, pros: str = "", cons: str = ""
) -> DecisionOption:
    """An option she adds to a decision, in her own terms; it is shown as hers."""
    author = _her(actor, decision.person)
    if not name.strip():
        raise ValidationError({"name": _("Name the option.")})
    if len(name.strip()) > 200:
        raise ValidationError({"name": _("Keep the option's name under 200 characters.")})
    if decision.options.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("This option is already there.")})
    pros = _words(pros, "pros", required=False, message="")
    cons = _words(cons, "cons", required=False, message="")
    with transaction.atomic():
        last = decision.options.order_by("-position").values_list("position", flat=True).first()
        option = DecisionOption.objects.create(
            decision=decision,
            position=(last if last is not None else -1) + 1,
            name=name.strip(),
            pros=pros,
            cons=cons,
            added_by=author,
            added_role=actor.role,
        )
        record(actor, AuditAction.CREATE, obj=option, person_id=decision.person_id)
        notify(
            key_workers(decision.person, besides=[decision.recorded_by]),
            messages.OPTION_ADDED,
            {"name": decision.person.shown_name, "question": decision.question},
            reverse("safety:decisions", args=[decision.person_id]),
        )
    return option
