"""Forms of the measures pages. The rules live in the engine and ``services``: these forms only
carry the answers, in the viewer's language, and show the services' errors beside the questions.

``QuestionnaireForm`` is built from a FHIR Questionnaire: one field per answerable item, named by
its linkId, so a ``ValidationError`` keyed by linkId lands on the right question. Every field is
optional here; which answers are required, in range and enabled is decided by the engine, once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.measures.definitions import flat_items, item_bounds, item_text, option_choices
from alongside.measures.models import Instrument, ScheduleKind
from alongside.plans.models import Goal

SCALE_MAX = 10
BOOLEAN_CHOICES = [("true", _("Yes")), ("false", _("No"))]


@dataclass(frozen=True)
class Question:
    """One item as the page shows it: a display text, a group heading or an answerable field."""

    link_id: str
    kind: str
    text: str
    depth: int
    field: forms.BoundField | None
    enabled: bool
    conditional: bool


def _field_for(item: Mapping[str, Any], language: str) -> forms.Field | None:
    kind = item.get("type")
    label = item_text(item, language)
    if kind == "boolean":
        return forms.ChoiceField(
            label=label, required=False, choices=BOOLEAN_CHOICES, widget=forms.RadioSelect
        )
    if kind == "choice":
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=option_choices(item, language),
            widget=forms.RadioSelect,
        )
    low, high = item_bounds(item)
    if kind == "integer" and low is not None and high is not None and 0 < high - low <= SCALE_MAX:
        # A short scale (0-10, 1-7) is easier to answer by tapping than typing. The value is
        # checked by the engine, not here, so an out-of-range answer gets the engine's message.
        values = [str(n) for n in range(int(low), int(high) + 1)]
        return forms.CharField(
            label=label,
            required=False,
            widget=forms.RadioSelect(choices=[(v, v) for v in values]),
        )
    attrs: dict[str, Any] = {}
    if low is not None:
        attrs["min"] = low
    if high is not None:
        attrs["max"] = high
    if kind == "integer":
        attrs["inputmode"] = "numeric"
        return forms.IntegerField(label=label, required=False, widget=forms.NumberInput(attrs))
    if kind == "decimal":
        attrs["inputmode"] = "decimal"
        attrs["step"] = "any"
        return forms.DecimalField(label=label, required=False, widget=forms.NumberInput(attrs))
    if kind == "string":
        return forms.CharField(label=label, required=False, max_length=1000)
    if kind == "text":
        return forms.CharField(
            label=label, required=False, max_length=4000, widget=forms.Textarea({"rows": 3})
        )
    return None


def _help(item: Mapping[str, Any], language: str) -> str:
    low, high = item_bounds(item)
    if item.get("type") in ("integer", "decimal") and low is not None and high is not None:
        return str(_("A number from %(low)s to %(high)s.")) % {
            "low": f"{low:g}",
            "high": f"{high:g}",
        }
    return ""


class QuestionnaireForm(forms.Form):
    """The items of one questionnaire version, plus "completed together with staff" for staff."""

    def __init__(
        self,
        questionnaire: Mapping[str, Any],
        language: str,
        *,
        with_staff: bool,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data)
        self.items = flat_items(questionnaire)
        self.depths = _depths(questionnaire)
        for item in self.items:
            field = _field_for(item, language)
            if field is not None:
                field.help_text = _help(item, language)
                if item.get("required"):
                    if not isinstance(field.widget, forms.RadioSelect):
                        field.widget.attrs["aria-required"] = "true"
                    field.label = _("%(question)s (needed)") % {"question": field.label}
                self.fields[str(item["linkId"])] = field
        if with_staff:
            self.fields["together_with_staff"] = forms.BooleanField(
                label=_("Completed together with staff"),
                required=False,
                initial=True,
                help_text=_("Tick this when you fill it in with the person, side by side."),
            )
        self.language = language

    def raw_answers(self) -> dict[str, object]:
        """The submitted values as they stand, for working out which items are enabled."""
        if not self.is_bound:
            return {}
        return {
            name: value
            for name in self.fields
            if name != "together_with_staff" and (value := self.data.get(name)) not in (None, "")
        }

    def answers(self) -> dict[str, object]:
        """Cleaned answers, linkId -> value; unanswered items left out."""
        found: dict[str, object] = {}
        for name, value in self.cleaned_data.items():
            if name == "together_with_staff" or value in (None, ""):
                continue
            found[name] = float(value) if isinstance(value, Decimal) else value
        return found

    def questions(self, enabled: set[str], errors_shown: bool = True) -> list[Question]:
        shown: list[Question] = []
        for item in self.items:
            link_id = str(item["linkId"])
            has_error = errors_shown and link_id in self.errors
            bound = self[link_id] if link_id in self.fields else None
            is_enabled = link_id in enabled or has_error
            if bound is not None:
                # A disabled input is not sent, so a hidden question's old answer is dropped.
                if is_enabled:
                    bound.field.widget.attrs.pop("disabled", None)
                else:
                    bound.field.widget.attrs["disabled"] = True
            shown.append(
                Question(
                    link_id=link_id,
                    kind=str(item.get("type")),
                    text=item_text(item, self.language),
                    depth=self.depths.get(link_id, 0),
                    field=bound,
                    enabled=is_enabled,
                    conditional=bool(item.get("enableWhen")),
                )
            )
        return shown


def _depths(questionnaire: Mapping[str, Any]) -> dict[str, int]:
    depths: dict[str, int] = {}

    def walk(items: list[dict[str, Any]], depth: int) -> None:
        for item in items:
            depths[str(item["linkId"])] = depth
            walk(item.get("item", []), depth + 1)

    walk(list(questionnaire.get("item", [])), 0)
    return depths


class ScheduleForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Instrument.objects.order_by("code"), empty_label=None
    )
    kind = forms.ChoiceField(
        label=_("How often"), choices=ScheduleKind.choices, widget=forms.RadioSelect
    )
    every_weeks = forms.IntegerField(
        label=_("Every how many weeks"),
        required=False,
        help_text=_("Only when it repeats every few weeks. From 1 to 52."),
        widget=forms.NumberInput({"inputmode": "numeric"}),
    )
    first_due_on = forms.DateField(
        label=_("First due on"),
        required=False,
        # No initial value: a pre-filled date made "at each plan review" fail with a misleading
        # error, since a review-bound schedule takes no first date.
        help_text=_("Leave empty for today. Not used for a measure at each plan review."),
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["instrument"]
        assert isinstance(field, forms.ModelChoiceField)
        field.label_from_instance = lambda obj: obj.name(language)  # type: ignore[method-assign]


class TalkAreasForm(forms.Form):
    areas = forms.MultipleChoiceField(
        label=_("Up to three areas to talk about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, choices: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["areas"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices


class TalkActionForm(forms.Form):
    text = forms.CharField(
        label=_("What we agreed to do"), max_length=1000, widget=forms.Textarea({"rows": 2})
    )
    goal = forms.ModelChoiceField(
        label=_("Also add it as a step to a goal in the plan"),
        required=False,
        queryset=Goal.objects.none(),
        empty_label=_("No, keep it here only"),
    )
    due_on = forms.DateField(
        label=_("By when (optional)"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self, goals: list[Goal] | None, data: Mapping[str, Any] | None = None, *, prefix_id: int = 0
    ) -> None:
        super().__init__(data, prefix=f"area{prefix_id}")
        if goals:
            field = self.fields["goal"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Goal.objects.filter(pk__in=[g.pk for g in goals])
        else:
            del self.fields["goal"]
            del self.fields["due_on"]
