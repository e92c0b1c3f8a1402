"""Identifier rules per system: the Danish CPR number and each organisation's local numbers.

A value is unique within its system (``PersonIdentifier``'s constraint). Local (hospital) numbers
get one system per organisation, ``urn:alongside:local:<organisation code>``, so two
organisations may use the same number without meeting each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.organisations.models import Organisation
from alongside.people.models import IdentifierSystem

CPR = str(IdentifierSystem.DK_CPR)
LOCAL_PREFIX = f"{IdentifierSystem.LOCAL}:"

# The kinds an administrator chooses from on the page and names in an import file.
KIND_CPR = "cpr"
KIND_LOCAL = "local"
KIND_CHOICES = [
    (KIND_CPR, gettext_lazy("Danish CPR number")),
    (KIND_LOCAL, gettext_lazy("Hospital or local record number")),
]

_CPR_SHAPE = re.compile(r"^(\d{6})-?(\d{4})$")
_LOCAL_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$")


def local_system(organisation: Organisation) -> str:
    return f"{LOCAL_PREFIX}{organisation.code}"


def cpr_birth_date(digits: str) -> date | None:
    """The birth date a 10-digit CPR number encodes, or ``None`` when it encodes no real date.

    The century follows from the 7th digit and the year, by the CPR office's rule:
    0-3: 1900s; 4 and 9: 2000s for years 00-36, else 1900s; 5-8: 2000s for 00-57, else 1800s.
    """
    day, month, year, seventh = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if year <= 36 else 1900
    else:
        century = 2000 if year <= 57 else 1800
    try:
        return date(century + year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class CheckedIdentifier:
    system: str
    value: str
    birth_date: date | None  # what the identifier says about the date of birth, if anything


def check_identifier(kind: str, raw: str, organisation: Organisation) -> CheckedIdentifier:
    """Normalise and validate one identifier, or raise a translated ``ValidationError``."""
    value = raw.strip().replace(" ", "")
    if kind == KIND_CPR:
        shape = _CPR_SHAPE.match(value)
        if shape is None:
            raise ValidationError(
                _("A CPR number has 10 digits (DDMMYY-XXXX); %(value)s does not.")
                % {"value": raw.strip()[:20]}
            )
        digits = shape.group(1) + shape.group(2)
        born = cpr_birth_date(digits)
        if born is None:
            raise ValidationError(
                _("The CPR number %(value)s does not start with a real date of birth.")
                % {"value": raw.strip()[:20]}
            )
        return CheckedIdentifier(CPR, digits, born)
    if kind == KIND_LOCAL:
        if not _LOCAL_SHAPE.match(value):
            raise ValidationError(
                _(
                    "A local number is 1 to 40 letters, digits, dots, dashes or slashes, "
                    "starting with a letter or digit."
                )
            )
        return CheckedIdentifier(local_system(organisation), value, None)
    raise ValidationError(_("Choose the kind of identifier."))
