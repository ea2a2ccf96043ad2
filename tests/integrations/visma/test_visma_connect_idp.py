"""The emulator as Visma Connect's identity provider for registration (authorization code with
PKCE, S256): the user is sent back with a code, the code is exchanged once with the verifier,
and the user info names the companies the user reaches (the building block of the Visma Home
registration; the registration pages themselves are not built yet, see the notes)."""

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlsplit

import requests

REDIRECT = "http://127.0.0.1:8000/visma/callback/"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign_in(visma, seeded, challenge: str) -> str:
    answer = requests.get(
        f"{visma.url}/connect/authorize",
        params={
            "response_type": "code",
            "client_id": seeded["client_id"],
            "redirect_uri": REDIRECT,
            "scope": "openid profile email",
            "state": "st-1",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["st-1"]
    return query["code"][0]


def exchange(visma, seeded, code: str, verifier: str) -> requests.Response:
    return requests.post(
        f"{visma.url}/connect/token",
        data={
            "grant_type": "authorization_code",
            "client_id": seeded["client_id"],
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
        },
        timeout=5,
    )


def test_sign_in_with_pkce_and_the_user_s_companies(visma, seeded):
    verifier, challenge = pkce()
    code = sign_in(visma, seeded, challenge)
    answer = exchange(visma, seeded, code, verifier)
    assert answer.status_code == 200
    body = answer.json()
    claims = json.loads(base64.urlsafe_b64decode(body["id_token"].split(".")[1] + "=="))
    assert claims["email"] == seeded["user"]["email"]
    info = requests.get(
        f"{visma.url}/connect/userinfo",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=5,
    ).json()
    assert [(t["id"], t["name"]) for t in info["tenants"]] == [
        (c["tenant_id"], c["name"]) for c in seeded["companies"]
    ]
    again = exchange(visma, seeded, code, verifier)  # a code is used once
    assert (again.status_code, again.json()) == (400, {"error": "invalid_grant"})


def test_a_wrong_verifier_is_refused(visma, seeded):
    verifier, challenge = pkce()
    code = sign_in(visma, seeded, challenge)
    answer = exchange(visma, seeded, code, verifier + "x")
    assert (answer.status_code, answer.json()) == (400, {"error": "invalid_grant"})
