"""Negotiated agreements (e.g. about substance use or leave), both sides in their own words, and
test results, which exist only together with the conversation they were talked through in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models import Organisation
from alongside.people.models import Person
from alongside.relationship.models import Note

TEXT = 4000


class Aim(models.TextChoices):
    STOP = "stop", _("Stop")
    REDUCE = "reduce", _("Reduce")
    SAFER = "safer", _("Use more safely")
    KEEP = "keep", _("Keep as it is")


class Agreement(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="agreements")
    topic = models.CharField(_("what the agreement is about"), max_length=200)
    person_aim = models.CharField(_("the person's own aim"), max_length=16, choices=Aim.choices)
    person_words = models.TextField(_("the person's words"), max_length=TEXT, blank=True)
    service_requirement = models.TextField(_("the service's requirement"), max_length=TEXT)
    person_will = models.TextField(_("what the person will do"), max_length=TEXT, blank=True)
    service_will = models.TextField(_("what the service will do"), max_length=TEXT, blank=True)
    if_not_kept = models.TextField(_("what happens if it is not kept"), max_length=TEXT, blank=True)
    review_on = models.DateField(_("review date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_role = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.topic


class Answer(models.TextChoices):
    AGREE = "agree", _("I agree to it")
    DECLINE = "decline", _("I do not agree to it")
    COMMENT = "comment", _("I have something to say about it")


class AgreementAnswer(models.Model):
    """The person's own answer to an agreement, in their words. A new answer never erases an
    earlier one; the newest is the one shown first."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(_("your answer"), max_length=16, choices=Answer.choices)
    words = models.TextField(_("in your own words"), max_length=TEXT, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=64)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.answer} on {self.agreement}"


class TestResult(models.Model):
    __test__ = False  # a model, not a test class (pytest collects names starting with "Test")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="results")
    kind = models.CharField(_("test"), max_length=100)
    result = models.CharField(_("result"), max_length=300)
    taken_at = models.DateTimeField(_("taken"))
    conversation = models.OneToOneField(Note, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_role = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.result}"


class RightsInfo(models.Model):
    """An organisation's plain-language rights information, complaint and advocacy contacts."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    rights = models.TextField(_("your rights"))
    complaints = models.TextField(_("how to complain"))
    advocacy = models.TextField(_("advocacy and peer support contacts"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "language"], name="one_rights_text")
        ]

    def __str__(self) -> str:
        return f"Rights information of {self.organisation} ({self.language})"


class SupportKind(models.TextChoices):
    ADVOCATE = "advocate", _("An advocate")
    PEER = "peer", _("A peer supporter")


class SupportRequest(models.Model):
    """The person asks for an advocate or peer supporter; tracked until someone answers."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="support_requests")
    kind = models.CharField(_("who you would like"), max_length=16, choices=SupportKind.choices)
    message = models.TextField(_("anything to add"), max_length=TEXT, blank=True)
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=TEXT, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["answered_at", "-asked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} asks for {self.kind}"
