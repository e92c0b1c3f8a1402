"""The go-live import: dry run, all or nothing, idempotent, and refusing formulas."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alongside.accounts.models import User
from alongside.administration import importer, services
from alongside.administration.importer import Action
from alongside.administration.models import Invitation
from alongside.administration.queries import ADMIN_ROLE
from alongside.audit.log import Actor
from alongside.organisations import services as organisations
from alongside.organisations.models import Organisation, StaffRole, Unit
from alongside.people.models import Person, PersonIdentifier, Stay
from tests.access_matrix_administration import ADMIN
from tests.personas import PASSWORD, Persona, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Service messages are read in English here (a Danish request earlier must not leak)."""
    with translation.override("en"):
        yield


EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


@pytest.fixture
def region(db: None) -> tuple[Organisation, Actor]:
    """A fresh organisation with its own administrator (as after create_organisation)."""
    organisation = organisations.create_organisation(
        Actor.system(), code="region-test", name="Region Test", kind="hospital"
    )
    from alongside.accounts.services import create_user

    user = create_user("region-admin", PASSWORD)
    services.make_administrator(Actor.system(), user, organisation)
    return organisation, Actor(user, ADMIN_ROLE)


def run(
    region: tuple[Organisation, Actor], content: bytes | str, *, apply: bool
) -> importer.Report:
    organisation, actor = region
    return importer.run(actor, organisation, content, apply=apply)


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def snapshot() -> tuple[int, ...]:
    return (
        Unit.objects.count(),
        User.objects.count(),
        StaffRole.objects.count(),
        Person.objects.count(),
        PersonIdentifier.objects.count(),
        Stay.objects.count(),
    )


def test_the_example_files_import_and_a_second_run_changes_nothing(
    region: tuple[Organisation, Actor],
) -> None:
    for name, created in (("units.csv", 3), ("staff.csv", 3), ("persons.csv", 3)):
        before = snapshot()
        dry = run(region, example(name), apply=False)
        assert dry.counts["create"] == created
        assert dry.importable, dry
        assert snapshot() == before  # a dry run writes nothing
        done = run(region, example(name), apply=True)
        assert done.applied
        again = run(region, example(name), apply=True)
        assert again.counts == {"create": 0, "change": 0, "unchanged": created, "refused": 0}
        middle = snapshot()
        run(region, example(name), apply=True)
        assert snapshot() == middle
    organisation, _actor = region
    signe = Person.objects.get(identifiers__value="1203891234")
    assert (signe.preferred_name, signe.languages) == ("Signe", ["da", "en"])
    assert str(signe.date_of_birth) == "1989-03-12"
    assert signe.stays.get().unit.code == "north-ward"
    noor = User.objects.get(username="noor.hansen@example.org")
    assert StaffRole.objects.filter(user=noor).count() == 2
    assert not noor.has_usable_password()
    assert Invitation.objects.filter(user=noor, organisation=organisation).count() == 1
    bo = StaffRole.objects.get(user__username="bo.larsen@example.org")
    assert str(bo.ended_on) == "2027-01-31"


def test_a_changed_line_is_reported_and_applied(region: tuple[Organisation, Actor]) -> None:
    run(region, example("units.csv"), apply=True)
    changed = example("units.csv").decode().replace("South Ward,ward", "South Ward (new),ward")
    report = run(region, changed, apply=True)
    assert report.counts["change"] == 1
    assert report.applied
    assert Unit.objects.get(code="south-ward").name == "South Ward (new)"


def test_semicolons_and_a_byte_order_mark(region: tuple[Organisation, Actor]) -> None:
    content = (
        "\ufeffunit_code;unit_name;unit_kind\r\n"
        "semi-ward;Semi Ward;ward\r\n"
        "team-two;Team Two;team\r\n"
    )
    report = run(region, content.encode("utf-8"), apply=True)
    assert report.applied
    assert report.counts["create"] == 2
    assert Unit.objects.get(code="semi-ward").name == "Semi Ward"


@pytest.mark.parametrize("formula", ["=1+1", "+45 1234", "-2", "@SUM(A1)", "=cmd|' /C calc'!A0"])
def test_formula_cells_are_refused_and_nothing_is_written(
    region: tuple[Organisation, Actor], formula: str
) -> None:
    before = snapshot()
    content = f'unit_code,unit_name,unit_kind\nfine-ward,Fine,ward\nbad-ward,"{formula}",ward\n'
    report = run(region, content, apply=True)
    assert not report.applied
    assert [line.action for line in report.lines] == [Action.CREATE, Action.REFUSED]
    assert "formula" in report.lines[1].reasons[0]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00u\x00n", "UTF-8"),
        ("name,colour\nx,y\n", "header"),
        ("unit_code,unit_name,unit_kind,extra\nx,y,ward,z\n", "Unknown columns"),
        ("", "empty"),
        ("unit_code,unit_name,unit_kind\n", "no rows"),
        ('unit_code,unit_name,unit_kind\n"open,quote,ward\n', "CSV"),
    ],
)
def test_malformed_files_are_refused_clearly(
    region: tuple[Organisation, Actor], content: bytes | str, message: str
) -> None:
    before = snapshot()
    report = run(region, content, apply=True)
    assert not report.applied
    assert any(message in error for error in report.errors), report.errors
    assert snapshot() == before


def test_a_short_line_is_refused(region: tuple[Organisation, Actor]) -> None:
    report = run(region, "unit_code,unit_name,unit_kind\nonly-two,cells\n", apply=False)
    assert report.lines[0].action == Action.REFUSED
    assert "2 cells" in report.lines[0].reasons[0]


def test_bad_person_lines_say_why(region: tuple[Organisation, Actor]) -> None:
    run(region, example("units.csv"), apply=True)
    header = "cpr,local_number,name,unit_code,stay_started_on\n"
    rows = [
        "310290-1234,,Bad Date,north-ward,2026-01-01",  # no such date
        ",,No Identifier,north-ward,2026-01-01",
        "120389-1234,,Signe,nowhere,2026-01-01",  # unknown unit
        "050702-4321,X1,Jamal,north-ward,2026-01-01",
        "050702-4321,X2,Jamal again,north-ward,2026-01-01",  # the same CPR twice
    ]
    report = run(region, header + "\n".join(rows) + "\n", apply=True)
    actions = [line.action for line in report.lines]
    assert actions == [
        Action.REFUSED,
        Action.REFUSED,
        Action.REFUSED,
        Action.CREATE,
        Action.REFUSED,
    ]
    assert not report.applied
    assert not Person.objects.filter(name__startswith="Jamal").exists()


def test_a_person_staying_elsewhere_here_is_not_moved_by_import(
    region: tuple[Organisation, Actor],
) -> None:
    run(region, example("units.csv"), apply=True)
    run(region, example("persons.csv"), apply=True)
    moved = (
        example("persons.csv")
        .decode()
        .replace("Jamal Osei,,he/him,en,,north-ward", "Jamal Osei,,he/him,en,,south-ward")
    )
    report = run(region, moved, apply=False)
    refused = [line for line in report.lines if line.action == Action.REFUSED]
    assert len(refused) == 1
    assert "transfer" in refused[0].reasons[0]


def test_the_command_dry_run_and_import(region: tuple[Organisation, Actor]) -> None:
    out = StringIO()
    path = str(EXAMPLES / "units.csv")
    call_command("import", "--dry-run", "--organisation", "region-test", path, stdout=out)
    assert "line 2: create north-ward" in out.getvalue()
    assert "Dry run" in out.getvalue()
    assert not Unit.objects.filter(code="north-ward").exists()
    call_command("import", "--organisation", "region-test", path, stdout=StringIO())
    assert Unit.objects.filter(code="north-ward", organisation=region[0]).exists()
    with pytest.raises(CommandError):
        call_command("import", "--organisation", "nowhere", path, stdout=StringIO())


def test_the_page_checks_then_imports(world: World, client_as: Callable[[Persona], Client]) -> None:
    assert ADMIN == [Persona.ADMIN]
    client = client_as(Persona.ADMIN)
    url = reverse("administration:import")
    upload = SimpleUploadedFile("units.csv", example("units.csv"), content_type="text/csv")
    checked = client.post(url, {"file": upload, "action": "check"})
    text = checked.content.decode()
    assert checked.status_code == 200
    assert "3 to create" in text
    assert not Unit.objects.filter(code="north-ward").exists()
    digest = text.split('name="digest" value="', 1)[1].split('"', 1)[0]
    done = client.post(url, {"action": "import", "digest": digest})
    assert done.status_code == 200
    assert Unit.objects.filter(organisation=world.hospital, code="north-ward").exists()
    # The checked file is spent: posting the digest again imports nothing more.
    again = client.post(url, {"action": "import", "digest": digest})
    assert again.status_code == 302
