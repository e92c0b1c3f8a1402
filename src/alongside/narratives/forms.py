"""Forms of the analysis workbench: projects, members, codebooks, uploads, coding, memos.

Forms only parse input; the rules (who may, what is valid) live in ``services.py``, whose
``ValidationError`` is shown on the form field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.frameworks.models import Framework
from alongside.narratives.models import AnalystRole, Code, CodeLevel, Purpose

MAX_TRANSCRIPT_MB = 25


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name of the project"), max_length=200)
    description = forms.CharField(
        label=_("What the project wants to learn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=Purpose.choices,
        help_text=_("Only texts whose consent covers this purpose are used."),
    )
    accepts_narratives = forms.BooleanField(
        label=_("People may send their own stories to this project"), required=False
    )


class MemberForm(forms.Form):
    """A new member chosen from the analysts and researchers the lead may see, grouped by staff
    role (never typed as a username)."""

    user = forms.TypedChoiceField(label=_("New member"), coerce=int)
    role = forms.ChoiceField(label=_("Role in the project"), choices=AnalystRole.choices)

    def __init__(
        self, *args: Any, candidates: list[tuple[str, list[tuple[int, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose an analyst or a researcher")),
            *candidates,
        ]


class StarterForm(forms.Form):
    framework = forms.ChoiceField(
        label=_("Start from a framework"),
        choices=Framework.choices,
        help_text=_("A codebook with every concept of the framework, ready to adapt."),
    )


class CodebookForm(forms.Form):
    name = forms.CharField(label=_("Name of a new, empty codebook"), max_length=200)


class CodeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=CodeLevel.choices, initial=CodeLevel.CODE)
    parent = forms.TypedChoiceField(
        label=_("Sits under"), coerce=int, required=False, empty_value=None
    )
    definition = forms.CharField(
        label=_("Definition"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    examples = forms.CharField(
        label=_("Examples"),
        help_text=_("One example per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, codes: list[Code], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [("", _("Nothing: a top-level code"))]
        choices += [(code.pk, f"{code.get_level_display()}: {code.name}") for code in codes]
        self.fields["parent"].choices = choices  # type: ignore[attr-defined]

    def example_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["examples"].splitlines() if line.strip()]


class TranscriptForm(forms.Form):
    name = forms.CharField(label=_("Name of the transcript"), max_length=255)
    file = forms.FileField(
        label=_("File"),
        help_text=_("UTF-8 text or a Word document (.docx), at most %(mb)s MB.")
        % {"mb": MAX_TRANSCRIPT_MB},
    )
    speaker_role = forms.CharField(label=_("Speaker role"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    case = forms.CharField(
        label=_("Case"),
        max_length=200,
        required=False,
        help_text=_("The person, group or place this text is about, to compare cases."),
    )
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    consent_improvement = forms.BooleanField(
        label=_("The participants agreed to use for service improvement"), required=False
    )
    consent_research = forms.BooleanField(
        label=_("The participants agreed to use for research"), required=False
    )


class CodingForm(forms.Form):
    """A meaning unit: where it starts and ends (or its exact words), its condensed meaning, codes.

    The browser fills ``start`` and ``end`` from a text selection; without a mouse, type the exact
    words into ``quote`` instead and the server finds them.
    """

    start = forms.IntegerField(label=_("From character"), min_value=0, required=False)
    end = forms.IntegerField(label=_("To character (not included)"), min_value=1, required=False)
    quote = forms.CharField(
        label=_("Or the exact words of the unit"),
        help_text=_("Used when the positions are empty. Must occur exactly once in the text."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    condensed = forms.CharField(
        label=_("Condensed meaning"),
        help_text=_("The unit's meaning in fewer words, close to the text."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    codes = forms.TypedMultipleChoiceField(
        label=_("Codes"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, codes: list[Code], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [  # type: ignore[attr-defined]
            (code.pk, f"{code.codebook.name}: {code.name}") for code in codes
        ]


class MemoForm(forms.Form):
    text = forms.CharField(label=_("Memo"), widget=forms.Textarea(attrs={"rows": 3}))


class CoderPairForm(forms.Form):
    coder_a = forms.ChoiceField(label=_("First coder"))
    coder_b = forms.ChoiceField(label=_("Second coder"))

    def __init__(self, *args: Any, coders: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coder_a"].choices = coders  # type: ignore[attr-defined]
        self.fields["coder_b"].choices = coders  # type: ignore[attr-defined]


class CodeEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    definition = forms.CharField(
        label=_("Definition"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    color = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        required=False,
        widget=forms.TextInput(attrs={"type": "color"}),
    )


class CodeChoiceForm(forms.Form):
    """One other code of the codebook: where to move a code, or what to merge it into."""

    target = forms.TypedChoiceField(label=_("Code"), coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: Any, codes: list[Code], label: str, allow_none: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        field.label = label
        field.required = not allow_none
        first: list[tuple[Any, Any]] = [("", _("Nothing: a top-level code"))] if allow_none else []
        field.choices = first + [  # type: ignore[attr-defined]
            (code.pk, f"{code.get_level_display()}: {code.name}") for code in codes
        ]


class DeleteCodeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete this code, the codes below it and all their codings"), required=True
    )


class AutocodeForm(forms.Form):
    """Code every turn of one speaker of a transcript with a code."""

    speaker = forms.ChoiceField(label=_("Speaker"))
    code = forms.TypedChoiceField(label=_("Code"), coerce=int)

    def __init__(self, *args: Any, speakers: list[str], codes: list[Code], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speaker"].choices = [(s, s) for s in speakers]  # type: ignore[attr-defined]
        self.fields["code"].choices = [  # type: ignore[attr-defined]
            (code.pk, f"{code.codebook.name}: {code.name}") for code in codes
        ]
