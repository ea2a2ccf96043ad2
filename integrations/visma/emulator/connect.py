"""Visma Connect in the Visma.net emulator: our client and the tenants granted to it, the users
who sign in (authorization code + PKCE), and the tokens, each for a tenant's company or a user.
A mixin of State, which holds the clients, users, codes, tokens and companies it works on."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import TYPE_CHECKING

from integrations.visma.emulator.records import Refused

if TYPE_CHECKING:
    from integrations.visma.emulator.state import Company


class VismaConnect:
    # --- our clients and the tenants granted to them -----------------------------------------

    def add_client(self, client_id: str, secret: str) -> None:
        self.clients[client_id] = {"secret": secret, "tenants": set()}

    def grant(self, client_id: str, tenant_id: str) -> None:
        """The tenant's administrator granted the client access (Developer Portal)."""
        self.clients[client_id]["tenants"].add(tenant_id)

    # --- Visma Connect as the user's identity provider (authorization code + PKCE) -----------

    def add_user(self, sub: str, name: str, email: str, tenants: list[str]) -> None:
        """A Visma Connect user with the "AutoCollect user" role in these company tenants."""
        self.users[sub] = {"sub": sub, "name": name, "email": email, "tenants": list(tenants)}

    def authorize(self, args: dict, sub: str) -> str:
        """The user signed in: a one-time code bound to the client, redirect URI and PKCE
        challenge (S256 only)."""
        client = self.clients.get(args.get("client_id", ""))
        if client is None or sub not in self.users:
            raise Refused(400, "unauthorized_client", "oauth")
        if args.get("response_type") != "code" or args.get("code_challenge_method") != "S256":
            raise Refused(400, "invalid_request", "oauth")
        if not args.get("code_challenge") or not args.get("redirect_uri"):
            raise Refused(400, "invalid_request", "oauth")
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "client": args["client_id"],
            "redirect_uri": args["redirect_uri"],
            "challenge": args["code_challenge"],
            "sub": sub,
            "nonce": args.get("nonce", ""),
        }
        return code

    def exchange_code(self, form: dict) -> dict:
        found = self.codes.pop(form.get("code", ""), None)  # used once
        if found is None or found["client"] != form.get("client_id"):
            raise Refused(400, "invalid_grant", "oauth")
        if found["redirect_uri"] != form.get("redirect_uri"):
            raise Refused(400, "invalid_grant", "oauth")
        verifier = form.get("code_verifier", "").encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if digest.decode() != found["challenge"]:
            raise Refused(400, "invalid_grant", "oauth")
        token = secrets.token_urlsafe(32)
        self.tokens[token] = {
            "client": found["client"],
            "tenant": None,
            "user": found["sub"],
            "expires": self.clock() + self.expires_in,
        }
        user = self.users[found["sub"]]
        claims = {
            "sub": user["sub"],
            "name": user["name"],
            "email": user["email"],
            "nonce": found["nonce"],
            "aud": found["client"],
        }
        id_token = (
            ".".join(
                base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()
                for part in ({"alg": "none", "typ": "JWT"}, claims)
            )
            + "."
        )
        return {
            "access_token": token,
            "id_token": id_token,
            "expires_in": self.expires_in,
            "token_type": "Bearer",
            "scope": "openid profile email",
        }

    def userinfo(self, token: str) -> dict:
        found = self.tokens.get(token)
        if found is None or found.get("user") is None or found["expires"] <= self.clock():
            raise Refused(401, "invalid_token", "oauth")
        user = self.users[found["user"]]
        companies = [
            {"id": t, "name": self.companies[t].name, "corporateId": self.companies[t].corporate_id}
            for t in user["tenants"]
            if t in self.companies
        ]
        return {
            "sub": user["sub"],
            "name": user["name"],
            "email": user["email"],
            "tenants": companies,
        }

    def issue_token(self, form: dict) -> dict:
        if form.get("grant_type") == "authorization_code":
            return self.exchange_code(form)
        if form.get("grant_type") != "client_credentials":
            raise Refused(400, "unsupported_grant_type", "oauth")
        client = self.clients.get(form.get("client_id", ""))
        if client is None or not secrets.compare_digest(
            client["secret"], form.get("client_secret", "")
        ):
            raise Refused(400, "invalid_client", "oauth")
        tenant = (form.get("tenant_id") or "").lower()
        if tenant not in client["tenants"]:
            raise Refused(400, "invalid_tenant", "oauth")
        token = secrets.token_urlsafe(32)
        self.tokens[token] = {
            "client": form["client_id"],
            "tenant": tenant,
            "expires": self.clock() + self.expires_in,
        }
        return {
            "access_token": token,
            "expires_in": self.expires_in,
            "token_type": "Bearer",
            "scope": form.get("scope", ""),
        }

    def company_for(self, token: str) -> tuple[Company, dict]:
        found = self.tokens.get(token)
        if found is None or found["expires"] <= self.clock():
            self.tokens.pop(token, None)
            raise Refused(401, "Authorization has been denied for this request. Token expired.")
        company = self.companies.get(found["tenant"])
        if company is None:  # a customer tenant: Connect knows it, the ERP has no such company
            raise Refused(
                401,
                "Authorization has been denied for this request. CompanyInContext is not set "
                "for this tenant.",
                "UnauthorizedAccessException",
            )
        return company, found
