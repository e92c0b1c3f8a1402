"""SMART on FHIR with django-oauth-toolkit, driven over HTTP like an app would:

- standalone patient launch: authorization code with PKCE, the consent page, the token response
  with the patient context, then reading the person's own record (and nothing else);
- standalone practitioner launch with ``user/*.read``, and with ``launch/patient``: a patient
  picker offering only the persons the user sees, the choice in the token response and in the
  token's reach; ``fhirUser`` in the token response and the id_token;
- Backend Services: a municipality's system signs a JWT client assertion (RS384 and ES384),
  gets a token with client credentials and reads a CareTeam; bad signatures, wrong audience,
  replayed assertions and unknown clients get no token.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.conf import settings
from django.test import Client
from jwcrypto import common as jwcrypto_common
from jwcrypto import jwk, jwt
from oauth2_provider.models import Application

from alongside.accounts.models import User
from alongside.audit.models import AuditEvent
from alongside.fhir.models import BackendClient, LaunchContext
from tests import fhir_validator
from tests.personas import Persona, World

P = Persona
REDIRECT = "http://127.0.0.1:9999/callback"
TOKEN_URL = "http://testserver/oauth/token/"


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    """The test database, set up before the personas world is asked for."""


def public_app(name: str = "My recovery app") -> Application:
    return Application.objects.create(
        name=name,
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        algorithm="",
    )


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.decode().rstrip("=")


def launch(client: Client, app: Application, scope: str, *, allow: bool = True) -> dict[str, Any]:
    """Run the authorization code flow with PKCE as the logged-in user; the token response."""
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(8)
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": state,
        "aud": "http://testserver/fhir/R4",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page = client.get("/oauth/authorize/?" + urlencode(query))
    assert page.status_code == 200, page.content
    assert app.name in page.content.decode()
    form = {k: v for k, v in query.items() if k != "aud"}
    if allow:
        form["allow"] = "Authorize"
    answer = client.post("/oauth/authorize/", form)
    assert answer.status_code == 302
    back = parse_qs(urlparse(answer["Location"]).query)
    if not allow:
        return {"error": back["error"][0]}
    assert back["state"] == [state]
    token = Client().post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": back["code"][0],
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.content
    body: dict[str, Any] = token.json()
    return body


def get(token: str, path: str) -> Any:
    return Client().get("/fhir/R4/" + path, HTTP_AUTHORIZATION=f"Bearer {token}")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_standalone_patient_launch(world: World) -> None:
    body = launch(logged_in(world.users[P.P1]), public_app(), "launch/patient patient/*.read")
    assert body["patient"] == str(world.p1.fhir_id)
    assert set(body["scope"].split()) == {"launch/patient", "patient/*.read"}
    token = body["access_token"]
    patient = get(token, f"Patient/{body['patient']}")
    assert patient.status_code == 200
    fhir_validator.assert_valid(patient.json())
    goals = get(token, "Goal").json()
    assert {e["resource"]["subject"]["reference"] for e in goals["entry"]} == {
        f"Patient/{world.p1.fhir_id}"
    }
    # The token cannot write without a write scope, and cannot see anyone else.
    assert get(token, f"Patient/{world.p2.fhir_id}").status_code == 404


def test_pkce_is_required_and_the_verifier_must_match(world: World) -> None:
    app = public_app()
    client = logged_in(world.users[P.P1])
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "scope": "patient/*.read",
        "allow": "Authorize",
    }
    answer = client.post("/oauth/authorize/", query)
    location = answer["Location"] if answer.status_code == 302 else ""
    assert "code=" not in location  # no code without a challenge
    verifier, challenge = pkce()
    query.update(code_challenge=challenge, code_challenge_method="S256")
    answer = client.post("/oauth/authorize/", query)
    code = parse_qs(urlparse(answer["Location"]).query)["code"][0]
    wrong = Client().post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "code_verifier": verifier + "x",
        },
    )
    assert wrong.status_code == 400


def test_the_person_can_refuse(world: World) -> None:
    answer = launch(logged_in(world.users[P.P1]), public_app(), "patient/*.read", allow=False)
    assert answer == {"error": "access_denied"}


def test_standalone_practitioner_launch(world: World) -> None:
    body = launch(logged_in(world.users[P.CASEWORKER]), public_app("Casework"), "user/*.read")
    assert "patient" not in body
    token = body["access_token"]
    plans = get(token, f"CarePlan?patient={world.p1.fhir_id}").json()
    categories = {
        c["code"]
        for e in plans["entry"]
        for cat in e["resource"]["category"]
        for c in cat["coding"]
    }
    assert categories == {"recovery"}  # P1 shared the plan with the caseworker, not the crisis plan
    assert get(token, f"Observation?patient={world.p1.fhir_id}").json()["total"] == 0


# ----- Backend Services ---------------------------------------------------------------------


def backend(world: World, key: jwk.JWK) -> Application:
    app = Application.objects.create(
        name="Municipal case system",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        user=world.users[P.CASEWORKER],
        algorithm="",
    )
    public = json.loads(key.export_public())
    BackendClient.objects.create(application=app, jwks={"keys": [{**public, "kid": "k1"}]})
    return app


def assertion(app: Application, key: jwk.JWK, alg: str, **changes: Any) -> str:
    claims = {
        "iss": app.client_id,
        "sub": app.client_id,
        "aud": TOKEN_URL,
        "exp": int(time.time()) + 240,
        "jti": str(uuid.uuid4()),
        **changes,
    }
    token = jwt.JWT(header={"alg": alg, "kid": "k1", "typ": "JWT"}, claims=claims)
    token.make_signed_token(key)
    return str(token.serialize())


def client_credentials(signed: str, scope: str = "system/*.read") -> Any:
    return Client().post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": signed,
        },
    )


@pytest.mark.parametrize(
    ("alg", "make"),
    [
        ("RS384", lambda: jwk.JWK.generate(kty="RSA", size=2048)),
        ("ES384", lambda: jwk.JWK.generate(kty="EC", crv="P-384")),
    ],
)
def test_backend_services_reads_a_care_team(world: World, alg: str, make: Any) -> None:
    key = make()
    app = backend(world, key)
    answer = client_credentials(assertion(app, key, alg))
    assert answer.status_code == 200, answer.content
    token = answer.json()["access_token"]
    team = get(token, f"CareTeam/{world.p1.fhir_id}")
    assert team.status_code == 200
    fhir_validator.assert_valid(team.json())
    roles = {c["code"] for p in team.json()["participant"] for r in p["role"] for c in r["coding"]}
    assert "caseworker" in roles
    # It acts for the caseworker it is registered to: no crisis plan, nobody else's team.
    assert get(token, f"CarePlan/crisis-{world.p1.fhir_id}").status_code == 404
    assert get(token, f"CareTeam/{world.p2.fhir_id}").status_code == 404


def test_backend_services_refuses_bad_assertions(world: World) -> None:
    key = jwk.JWK.generate(kty="EC", crv="P-384")
    app = backend(world, key)
    other = jwk.JWK.generate(kty="EC", crv="P-384")
    assert client_credentials(assertion(app, other, "ES384")).status_code == 401
    assert (
        client_credentials(assertion(app, key, "ES384", aud="https://elsewhere/token")).status_code
        == 401
    )
    assert (
        client_credentials(assertion(app, key, "ES384", exp=int(time.time()) - 5)).status_code
        == 401
    )
    assert (
        client_credentials(assertion(app, key, "ES384", exp=int(time.time()) + 3600)).status_code
        == 401
    )
    signed = assertion(app, key, "ES384")
    assert client_credentials(signed).status_code == 200
    assert client_credentials(signed).status_code == 401  # replayed
    hs = jwk.JWK.generate(kty="oct", size=384)
    assert client_credentials(assertion(app, hs, "HS384")).status_code == 401


# ----- practitioner launch with a patient picker, and fhirUser --------------------------------


def authorize(
    client: Client, app: Application, scope: str, patient: str | None
) -> tuple[Any, str, dict[str, str]]:
    """Open the consent page and allow, choosing ``patient``; the page, the answer, the form."""
    verifier, challenge = pkce()
    form = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "s1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "nonce": "n1",
    }
    page = client.get("/oauth/authorize/?" + urlencode(form))
    assert page.status_code == 200, page.content
    posted = {**form, "allow": "Authorize"}
    if patient is not None:
        posted["patient"] = patient
    return page, verifier, posted


def exchange(app: Application, answer: Any, verifier: str) -> dict[str, Any]:
    assert answer.status_code == 302, answer.content
    code = parse_qs(urlparse(answer["Location"]).query)["code"][0]
    token = Client().post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.content
    body: dict[str, Any] = token.json()
    return body


def test_practitioner_launch_picks_a_person_the_key_worker_sees(world: World) -> None:
    app = public_app("Ward app")
    client = logged_in(world.users[P.KEY_WORKER])
    scope = "launch/patient patient/*.read fhirUser"
    page, verifier, form = authorize(client, app, scope, str(world.p1.fhir_id))
    html = page.content.decode()
    assert 'name="patient"' in html
    assert str(world.p1.fhir_id) in html
    assert str(world.p2.fhir_id) not in html  # on another ward: not offered
    picker = re.search(r'<select id="launch-patient".*?</select>', html, re.S)
    assert picker is not None
    assert "selected" not in picker.group(0)  # nobody is chosen beforehand
    listed = AuditEvent.objects.filter(why="SMART launch: patient picker")
    assert listed.filter(person_id=world.p1.pk).exists()
    body = exchange(app, client.post("/oauth/authorize/", form), verifier)
    assert body["patient"] == str(world.p1.fhir_id)
    assert body["fhirUser"] == (
        f"http://testserver/fhir/R4/Practitioner/{world.users[P.KEY_WORKER].fhir_id}"
    )
    token = body["access_token"]
    assert get(token, f"Patient/{world.p1.fhir_id}").status_code == 200
    goals = get(token, "Goal").json()
    assert {e["resource"]["subject"]["reference"] for e in goals["entry"]} == {
        f"Patient/{world.p1.fhir_id}"
    }
    assert get(token, f"Patient/{world.p2.fhir_id}").status_code == 404


def test_the_picker_refuses_no_choice_and_a_person_out_of_reach(world: World) -> None:
    app = public_app("Ward app")
    client = logged_in(world.users[P.KEY_WORKER])
    for choice in (None, "", str(world.p2.fhir_id), "not-a-uuid"):
        _page, _verifier, form = authorize(client, app, "launch/patient patient/*.read", choice)
        answer = client.post("/oauth/authorize/", form)
        assert answer.status_code == 400
        assert "Choose the person the app will work with." in answer.content.decode()
    assert not LaunchContext.objects.exists()
    # Refusing needs no choice.
    _page, _verifier, form = authorize(client, app, "launch/patient patient/*.read", None)
    del form["allow"]
    refused = client.post("/oauth/authorize/", form)
    assert parse_qs(urlparse(refused["Location"]).query)["error"] == ["access_denied"]


def test_a_caseworker_launched_for_a_person_sees_only_what_she_shared(world: World) -> None:
    app = public_app("Casework")
    client = logged_in(world.users[P.CASEWORKER])
    _page, verifier, form = authorize(
        client, app, "launch/patient patient/*.read", str(world.p1.fhir_id)
    )
    token = exchange(app, client.post("/oauth/authorize/", form), verifier)["access_token"]
    plans = get(token, "CarePlan").json()
    assert [e["resource"]["id"] for e in plans["entry"]] == [f"recovery-{world.p1.fhir_id}"]
    assert get(token, "Observation").json()["total"] == 0
    # The sharing ends: the launched token sees nothing more of her.
    network_end(world)
    assert get(token, f"Patient/{world.p1.fhir_id}").status_code == 404


def network_end(world: World) -> None:
    from alongside.audit.log import Actor
    from alongside.network import services as network

    network.end_membership(Actor.system(), world.caseworker_membership)


def test_a_person_launching_is_their_own_patient_and_fhir_user(world: World) -> None:
    body = launch(
        logged_in(world.users[P.P1]), public_app(), "launch/patient patient/*.read fhirUser"
    )
    assert body["patient"] == str(world.p1.fhir_id)
    assert body["fhirUser"] == f"http://testserver/fhir/R4/Patient/{world.p1.fhir_id}"
    without = launch(logged_in(world.users[P.P1]), public_app(), "launch/patient patient/*.read")
    assert "fhirUser" not in without


def test_the_launch_context_survives_a_refresh(world: World) -> None:
    app = public_app("Ward app")
    client = logged_in(world.users[P.KEY_WORKER])
    _page, verifier, form = authorize(
        client, app, "launch/patient patient/*.read offline_access", str(world.p1.fhir_id)
    )
    body = exchange(app, client.post("/oauth/authorize/", form), verifier)
    refreshed = Client().post(
        "/oauth/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": body["refresh_token"],
            "client_id": app.client_id,
        },
    )
    assert refreshed.status_code == 200, refreshed.content
    again = refreshed.json()
    assert again["patient"] == str(world.p1.fhir_id)
    assert get(again["access_token"], f"Patient/{world.p1.fhir_id}").status_code == 200
    assert get(again["access_token"], "Goal").json()["total"] == 2


def test_the_id_token_carries_fhir_user_and_verifies_with_the_published_keys(
    world: World,
) -> None:
    """Out of the box (no settings changed): OpenID Connect is on with the locally made key, an
    app registered without a signing algorithm gets an RS256 id_token, and the JWKS the SMART
    configuration names verifies it."""
    assert settings.OAUTH2_PROVIDER["OIDC_ENABLED"]
    configuration = Client().get("/fhir/R4/.well-known/smart-configuration").json()
    assert "sso-openid-connect" in configuration["capabilities"]
    published = Client().get(configuration["jwks_uri"].split("testserver", 1)[1])
    assert published.status_code == 200
    keys = jwk.JWKSet.from_json(published.content)
    app = public_app("Ward app")
    assert app.algorithm == Application.NO_ALGORITHM
    client = logged_in(world.users[P.KEY_WORKER])
    scope = "openid fhirUser launch/patient patient/*.read"
    _page, verifier, form = authorize(client, app, scope, str(world.p1.fhir_id))
    body = exchange(app, client.post("/oauth/authorize/", form), verifier)
    _page, verifier, form = authorize(client, app, "openid launch/patient", str(world.p1.fhir_id))
    plain = exchange(app, client.post("/oauth/authorize/", form), verifier)
    token = jwt.JWT(jwt=body["id_token"], key=keys)  # raises unless a published key signed it
    assert json.loads(token.header)["alg"] == "RS256"
    claims = json.loads(token.claims)
    assert claims["iss"] == "http://testserver/fhir/R4"
    assert claims["fhirUser"] == (
        f"http://testserver/fhir/R4/Practitioner/{world.users[P.KEY_WORKER].fhir_id}"
    )
    assert claims["aud"] == app.client_id
    assert "fhirUser" not in json.loads(jwt.JWT(jwt=plain["id_token"], key=keys).claims)
    # Another key, not published, does not verify it.
    with pytest.raises(jwcrypto_common.JWException):
        jwt.JWT(jwt=body["id_token"], key=jwk.JWK.generate(kty="RSA", size=2048))
