"""Who may reach which URL: one declaration per URL pattern, checked for every persona.

Adding a URL without declaring it fails ``test_every_url_pattern_is_declared``. A declaration
names the HTTP method, how to fill the URL's parameters from the personas world, and the status
each persona must get. No access is 404, never 403. Anonymous visitors to pages are sent to the
login page (302); the API answers them 401. Each room keeps its declarations in its own module.
"""

from __future__ import annotations

from tests.access_declarations import (
    EVERY_LOGGED_IN,
    STAFF,
    Declaration,
    P,
    only,
    p1,
    statuses,
)
from tests.access_matrix_accounts import ACCOUNTS, ACCOUNTS_ALSO
from tests.access_matrix_administration import ADMINISTRATION, ADMINISTRATION_ALSO
from tests.access_matrix_alerts import ALERTS
from tests.access_matrix_discharge import DISCHARGE, DISCHARGE_ALSO
from tests.access_matrix_fhir import FHIR, FHIR_ALSO
from tests.access_matrix_insight import INSIGHT, INSIGHT_ALSO
from tests.access_matrix_measures import MEASURES, MEASURES_ALSO
from tests.access_matrix_meetings import MEETINGS, MEETINGS_ALSO
from tests.access_matrix_narratives import NARRATIVES, NARRATIVES_ALSO
from tests.access_matrix_network import NETWORK, NETWORK_ALSO
from tests.access_matrix_notifications import NOTIFICATIONS, NOTIFICATIONS_ALSO
from tests.access_matrix_perf import OPERATIONS
from tests.access_matrix_plans import PLANS, PLANS_ALSO
from tests.access_matrix_relationship import RELATIONSHIP, RELATIONSHIP_ALSO
from tests.access_matrix_reviews import REVIEWS, REVIEWS_ALSO
from tests.access_matrix_safety import SAFETY, SAFETY_ALSO
from tests.access_matrix_truth import TRUTH, TRUTH_ALSO

FOUNDATION: dict[str, Declaration] = {
    "home": Declaration("get", statuses(302)),
    "healthz": Declaration("get", statuses(200)),
    "accounts:login": Declaration("get", statuses(302, anonymous=200)),
    "accounts:logout": Declaration("post", statuses(302)),
    "accounts:language": Declaration(
        "post", statuses(302), data=lambda world: {"language": "da", "next": "/"}
    ),
    "accounts:password": Declaration("get", only(EVERY_LOGGED_IN)),
    "workspace:caseload": Declaration("get", only(STAFF)),
    "workspace:person": Declaration("get", only([P.P1, P.KEY_WORKER, P.CASEWORKER]), kwargs=p1),
    "portal:me": Declaration("get", only([P.P1, P.P2])),
    "portal:supporting": Declaration("get", only([P.FAMILY])),
    "api:me": Declaration("get", only(EVERY_LOGGED_IN, anonymous=401)),
    "api:person": Declaration(
        "get", only([P.P1, P.KEY_WORKER, P.CASEWORKER], anonymous=401), kwargs=p1
    ),
    "api:caseload": Declaration("get", only(EVERY_LOGGED_IN, anonymous=401)),
    "api:openapi-json": Declaration("get", statuses(200)),
    # django-ninja's placeholder for the API root: it resolves but answers nothing.
    "api:api-root": Declaration("get", statuses(404)),
}

MATRIX: dict[str, Declaration] = {
    **FOUNDATION,
    **ACCOUNTS,
    **PLANS,
    **RELATIONSHIP,
    **SAFETY,
    **NETWORK,
    **REVIEWS,
    **MEETINGS,
    **DISCHARGE,
    **MEASURES,
    **ALERTS,
    **NARRATIVES,
    **INSIGHT,
    **ADMINISTRATION,
    **TRUTH,
    **NOTIFICATIONS,
    **FHIR,
    **OPERATIONS,
}

# Further declarations for URLs that accept more than one method (e.g. GET a form, POST it).
ALSO: list[tuple[str, Declaration]] = [
    *ACCOUNTS_ALSO,
    *PLANS_ALSO,
    *RELATIONSHIP_ALSO,
    *SAFETY_ALSO,
    *NETWORK_ALSO,
    *REVIEWS_ALSO,
    *MEETINGS_ALSO,
    *DISCHARGE_ALSO,
    *MEASURES_ALSO,
    *NARRATIVES_ALSO,
    *INSIGHT_ALSO,
    *ADMINISTRATION_ALSO,
    *TRUTH_ALSO,
    *NOTIFICATIONS_ALSO,
    *FHIR_ALSO,
]
