"""The demo world: fictional organisations, staff and persons, written by the Alongside team.

Nothing here describes a real person or service. Dates are given as offsets in days before "today",
so the world always looks current, while every choice stays deterministic.
"""

from __future__ import annotations

from typing import TypedDict

DEMO_PASSWORD = "demo-alongside"  # noqa: S105  (printed for the demo; never used outside it)
DEMO_MARKER_ORGANISATION = "fjordby-mhc"


class OrganisationSpec(TypedDict):
    code: str
    name: str
    kind: str
    units: list[tuple[str, str, str]]  # code, name, kind


class StaffSpec(TypedDict):
    username: str
    name: str
    language: str
    roles: list[tuple[str, str]]  # unit code, role code


class MemberSpec(TypedDict):
    username: str
    role: str
    organisation: str | None
    sections: list[str]
    days_ago: int
    ended_days_ago: int | None


class PersonSpec(TypedDict):
    username: str | None
    name: str
    preferred_name: str
    pronouns: str
    languages: list[str]
    born: str
    about_me: str
    stay: tuple[str, str, int, int | None] | None  # unit code, kind, started days ago, ended
    review_in_days: int | None
    network: list[MemberSpec]
    contacts: list[tuple[str, str, int, int | None]]  # staff username, kind, days ago, minutes


ORGANISATIONS: list[OrganisationSpec] = [
    {
        "code": "fjordby-mhc",
        "name": "Fjordby Mental Health Centre",
        "kind": "hospital",
        "units": [
            ("fjordby-s2", "Special Department S2 (long stays)", "ward"),
            ("fjordby-north-team", "Community Team North", "team"),
        ],
    },
    {
        "code": "fjordby-municipality",
        "name": "Fjordby Municipality",
        "kind": "municipality",
        "units": [("fjordby-social-psychiatry", "Adult Social Psychiatry", "service")],
    },
    {
        "code": "harbour-peers",
        "name": "Harbour Peer Network",
        "kind": "peer_organisation",
        "units": [("harbour-peers-team", "Peer Support Team", "team")],
    },
    {
        "code": "bakkegade-gp",
        "name": "Bakkegade General Practice",
        "kind": "general_practice",
        "units": [("bakkegade-gp-clinic", "Bakkegade Clinic", "team")],
    },
]

STAFF: list[StaffSpec] = [
    {
        "username": "kasper",
        "name": "Kasper Lind",
        "language": "da",
        "roles": [("fjordby-s2", "key_worker")],
    },
    {
        "username": "nadia",
        "name": "Nadia Berg",
        "language": "en",
        "roles": [("fjordby-s2", "nurse")],
    },
    {
        "username": "ole",
        "name": "Ole Madsen",
        "language": "da",
        "roles": [("fjordby-s2", "care_worker")],
    },
    {
        "username": "yuki",
        "name": "Yuki Tanaka",
        "language": "ja",
        "roles": [("fjordby-s2", "psychologist"), ("fjordby-north-team", "psychologist")],
    },
    {
        "username": "henrik",
        "name": "Henrik Dahl",
        "language": "da",
        "roles": [("fjordby-s2", "psychiatrist")],
    },
    {
        "username": "sofie",
        "name": "Sofie Krogh",
        "language": "da",
        "roles": [
            ("fjordby-north-team", "key_worker"),
            ("fjordby-north-team", "occupational_therapist"),
        ],
    },
    {
        "username": "line",
        "name": "Line Vestergaard",
        "language": "da",
        "roles": [("fjordby-s2", "team_leader")],
    },
    {
        "username": "mette",
        "name": "Mette Juhl",
        "language": "da",
        "roles": [("fjordby-social-psychiatry", "caseworker")],
    },
    {
        "username": "jonas",
        "name": "Jonas Friis",
        "language": "en",
        "roles": [("harbour-peers-team", "peer_worker"), ("fjordby-s2", "peer_worker")],
    },
    {
        "username": "amira",
        "name": "Amira Haddad",
        "language": "en",
        "roles": [("fjordby-s2", "analyst")],
    },
]

# Informal supporters who have their own login.
SUPPORTERS: list[tuple[str, str, str]] = [
    ("anders", "Anders Holm", "da"),
    ("keiko", "Keiko Sato", "ja"),
]

WHOLE = ["plan", "crisis_plan", "meetings", "measures", "notes"]


def _member(
    username: str,
    role: str,
    organisation: str | None,
    sections: list[str],
    days_ago: int,
    ended_days_ago: int | None = None,
) -> MemberSpec:
    return {
        "username": username,
        "role": role,
        "organisation": organisation,
        "sections": sections,
        "days_ago": days_ago,
        "ended_days_ago": ended_days_ago,
    }


PERSONS: list[PersonSpec] = [
    {
        "username": "maja",
        "name": "Maja Holm",
        "preferred_name": "Maja",
        "pronouns": "she/her",
        "languages": ["da", "en"],
        "born": "1994-03-12",
        "about_me": (
            "I draw every day, mostly birds and boats. I am good at fixing old bikes. "
            "I want a small flat near the harbour one day, and more time with my brother Anders."
        ),
        "stay": ("fjordby-s2", "inpatient", 910, None),
        "review_in_days": 9,
        "network": [
            _member("kasper", "key_worker", "fjordby-mhc", WHOLE, 880),
            _member("mette", "caseworker", "fjordby-municipality", ["plan", "meetings"], 400),
            _member("jonas", "peer_worker", "harbour-peers", ["plan", "meetings"], 120),
            _member("anders", "family", None, ["crisis_plan"], 60),
            _member("nadia", "nurse", "fjordby-mhc", ["plan"], 700, 200),
        ],
        "contacts": [
            ("kasper", "activity", 1, 90),
            ("jonas", "conversation", 6, 45),
            ("kasper", "conversation", 8, 30),
            ("mette", "meeting", 40, 60),
        ],
    },
    {
        "username": "tobias",
        "name": "Tobias Nørgaard",
        "preferred_name": "Tobi",
        "pronouns": "he/him",
        "languages": ["da"],
        "born": "1999-08-30",
        "about_me": "",
        "stay": ("fjordby-s2", "inpatient", 540, None),
        "review_in_days": -5,
        "network": [
            _member("kasper", "key_worker", "fjordby-mhc", WHOLE, 530),
            _member("mette", "caseworker", "fjordby-municipality", ["plan", "meetings"], 500),
        ],
        "contacts": [("ole", "activity", 3, 60), ("kasper", "conversation", 12, 20)],
    },
    {
        "username": "hiroshi",
        "name": "Hiroshi Sato",
        "preferred_name": "Hiroshi",
        "pronouns": "he/him",
        "languages": ["ja", "da"],
        "born": "1981-11-02",
        "about_me": (
            "料理をして誰かと一緒に食べる日は、いい日です。"
            "I came to Denmark for work many years ago and I still like early mornings by the sea."
        ),
        "stay": ("fjordby-north-team", "community", 300, None),
        "review_in_days": 30,
        "network": [
            _member("sofie", "key_worker", "fjordby-mhc", WHOLE, 290),
            _member("keiko", "family", None, ["crisis_plan", "meetings"], 200),
        ],
        "contacts": [("sofie", "phone", 2, 15), ("yuki", "conversation", 16, 50)],
    },
    {
        "username": None,
        "name": "Freja Lund",
        "preferred_name": "Freja",
        "pronouns": "they/them",
        "languages": ["da", "en"],
        "born": "2001-05-19",
        "about_me": "Music keeps me going. I used to sing in a band and I miss it.",
        "stay": ("fjordby-s2", "inpatient", 210, None),
        "review_in_days": 45,
        "network": [_member("kasper", "key_worker", "fjordby-mhc", WHOLE, 200)],
        "contacts": [("nadia", "conversation", 1, 25)],
    },
    {
        "username": None,
        "name": "Ahmed Rahimi",
        "preferred_name": "Ahmed",
        "pronouns": "he/him",
        "languages": ["fa", "da", "en"],
        "born": "1988-01-07",
        "about_me": (
            "Football on Sundays, strong tea, and my nieces. "
            "I would like to work with my hands again, maybe in a workshop."
        ),
        "stay": ("fjordby-s2", "inpatient", 1100, None),
        "review_in_days": 60,
        "network": [
            _member("kasper", "key_worker", "fjordby-mhc", WHOLE, 1000),
            _member("mette", "caseworker", "fjordby-municipality", ["meetings"], 900),
        ],
        "contacts": [("ole", "activity", 4, 120), ("henrik", "conversation", 20, 30)],
    },
    {
        "username": None,
        "name": "Karen Bech",
        "preferred_name": "",
        "pronouns": "she/her",
        "languages": ["da"],
        "born": "1970-09-23",
        "about_me": "",
        "stay": ("fjordby-north-team", "community", 90, None),
        "review_in_days": 2,
        "network": [_member("sofie", "key_worker", "fjordby-mhc", WHOLE, 85)],
        "contacts": [],
    },
    {
        "username": None,
        "name": "Emil Sørensen",
        "preferred_name": "Emil",
        "pronouns": "he/him",
        "languages": ["da"],
        "born": "1996-12-01",
        "about_me": "I am the one who knows every bus timetable in the region.",
        "stay": ("fjordby-s2", "inpatient", 240, None),
        "review_in_days": 20,
        "network": [],
        "contacts": [("jonas", "activity", 10, 60)],
    },
    {
        "username": None,
        "name": "Sara Nielsen",
        "preferred_name": "Sara",
        "pronouns": "she/her",
        "languages": ["da", "en"],
        "born": "1992-04-14",
        "about_me": "My dog Bamse is my best friend. Walks with him are when I think clearly.",
        "stay": ("fjordby-north-team", "community", 150, None),
        "review_in_days": 70,
        "network": [
            _member("sofie", "key_worker", "fjordby-mhc", WHOLE, 140),
            _member("jonas", "peer_worker", "harbour-peers", ["plan"], 100),
        ],
        "contacts": [("sofie", "activity", 5, 75)],
    },
    {
        "username": None,
        "name": "Kenji Mori",
        "preferred_name": "Kenji",
        "pronouns": "he/him",
        "languages": ["ja"],
        "born": "1985-06-25",
        "about_me": "将棋が好きです。静かな場所で考える時間がほしい。",
        "stay": ("fjordby-s2", "inpatient", 365, None),
        "review_in_days": -12,
        "network": [_member("kasper", "key_worker", "fjordby-mhc", WHOLE, 360)],
        "contacts": [("yuki", "conversation", 7, 40)],
    },
    {
        "username": None,
        "name": "Birgit Poulsen",
        "preferred_name": "Bibi",
        "pronouns": "she/her",
        "languages": ["da"],
        "born": "1961-02-03",
        "about_me": (
            "I have lived in Fjordby all my life. I knit for my grandchildren and I like "
            "to be asked about the old days."
        ),
        "stay": ("fjordby-s2", "inpatient", 1460, None),
        "review_in_days": 15,
        "network": [
            _member("kasper", "key_worker", "fjordby-mhc", WHOLE, 1400),
            _member("mette", "caseworker", "fjordby-municipality", ["plan", "meetings"], 1300),
        ],
        "contacts": [("nadia", "conversation", 0, 20), ("ole", "activity", 2, 45)],
    },
    {
        "username": None,
        "name": "Lucas Winther",
        "preferred_name": "Lucas",
        "pronouns": "he/him",
        "languages": ["da", "en"],
        "born": "2003-10-10",
        "about_me": "",
        "stay": ("fjordby-north-team", "community", 30, None),
        "review_in_days": 60,
        "network": [_member("sofie", "key_worker", "fjordby-mhc", WHOLE, 28)],
        "contacts": [("sofie", "phone", 9, 10)],
    },
    {
        "username": None,
        "name": "Nanna Frost",
        "preferred_name": "Nanna",
        "pronouns": "she/her",
        "languages": ["da"],
        "born": "1990-07-08",
        "about_me": "Gardening, poetry and long phone calls with my sister.",
        "stay": ("fjordby-s2", "inpatient", 600, 20),
        "review_in_days": None,
        "network": [
            _member("mette", "caseworker", "fjordby-municipality", ["plan", "meetings"], 580),
        ],
        "contacts": [("mette", "meeting", 18, 60)],
    },
]

# Which demo login stands for which kind of user (printed by `alongside demo`).
DEMO_LOGINS: list[tuple[str, str]] = [
    ("maja", "a person (service user)"),
    ("kasper", "a key worker"),
    ("line", "a team leader"),
    ("mette", "a municipal caseworker"),
    ("jonas", "a peer support worker"),
    ("anders", "a family member (crisis plan only)"),
    ("amira", "an analyst (narratives project lead)"),
]
