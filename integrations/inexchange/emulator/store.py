"""The Inexchange Store as the guide (seed 004) shows it, in the emulator: the user (an account,
picked by `?org_no=`: the emulator has no login) opens the Store, clicks the value-added service
"Påminnelse & Inkasso", checks the company data that will be fetched and clicks "Fortsätt"; the
company is then linked to us as partner under an ErpId and the browser is redirected to our
hand-off URL, signed (integrations.inexchange.handoff: our design).

    emulator.store_configure(handoff_url="http://autocollect/onboarding/inexchange/",
                             secret="...")
    GET  /store?org_no=5591234561                      the Store
    GET  /store/paminnelse-inkasso?org_no=5591234561   the company data to be fetched
    POST /store/paminnelse-inkasso?org_no=5591234561   "Fortsätt": link + 303 to us
"""

from __future__ import annotations

import hashlib
from html import escape

from werkzeug.wrappers import Request, Response

from integrations.inexchange.handoff import handoff_sign, handoff_url

SERVICE = "paminnelse-inkasso"
_PAGE = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;background:#f3f5f8;margin:0}}
header{{background:#0b3b60;color:#fff;padding:.8rem 1.5rem;font-weight:600}}
main{{max-width:640px;margin:1.5rem auto;background:#fff;padding:1.2rem 1.5rem;border-radius:8px}}
.service{{border:1px solid #cfd8e3;border-radius:8px;padding:1rem;margin:.8rem 0}}
dt{{font-weight:600}} dd{{margin:0 0 .5rem}} button,a.button{{background:#0b7a3e;color:#fff;
border:0;border-radius:4px;padding:.5rem 1rem;text-decoration:none;cursor:pointer}}</style>
</head><body><header>Inexchange</header><main>{body}</main></body></html>"""


def erp_id_for(org_no: str) -> str:
    """The ErpId the Store links a company to our service with (the same each time)."""
    return "ix-" + hashlib.sha256(f"paminnelse-inkasso:{org_no}".encode()).hexdigest()[:16]


class Store:
    def __init__(self, emulator):
        self.emulator = emulator
        self.handoff_url = ""
        self.secret = ""
        self.activations: list[str] = []  # org numbers, in the order "Fortsätt" was clicked

    def __call__(self, request: Request) -> Response:
        org_no = request.args.get("org_no", "")
        account = self.emulator.accounts.get(org_no)
        if account is None:
            return _html("Inexchange", "<p>Logga in i Inexchange först.</p>", status=401)
        path = request.path.rstrip("/")
        if path == "/store" and request.method == "GET":
            return self.front(org_no, account)
        if path == f"/store/{SERVICE}" and request.method == "GET":
            return self.details(org_no, account)
        if path == f"/store/{SERVICE}" and request.method == "POST":
            return self.activate(org_no)
        return _html("Inexchange", "<p>Sidan finns inte.</p>", status=404)

    def front(self, org_no: str, account: dict) -> Response:
        body = (
            f"<h1>Inexchange Store</h1><p>Inloggad som {escape(account['Name'])}</p>"
            '<div class="service"><h2>Påminnelse &amp; Inkasso</h2>'
            "<p>Låt våra partner skicka påminnelser och inkassokrav på era förfallna fakturor.</p>"
            f'<a class="button" href="/store/{SERVICE}?org_no={escape(org_no)}">'
            "Påminnelse &amp; Inkasso</a></div>"
        )
        return _html("Inexchange Store", body)

    def details(self, org_no: str, account: dict) -> Response:
        rows = (
            ("Företagsnamn", account.get("Name")),
            ("Organisationsnummer", account.get("OrgNo")),
            ("E-post", account.get("Email")),
            ("Adress", account.get("StreetName")),
            ("Postnummer", account.get("PostalZone")),
            ("Ort", account.get("City")),
        )
        facts = "".join(f"<dt>{k}</dt><dd>{escape(str(v or '–'))}</dd>" for k, v in rows)
        body = (
            "<h1>Påminnelse &amp; Inkasso</h1>"
            "<p>Denna företagsinformation hämtas från Inexchange till tjänsten. "
            "Stämmer den?</p>"
            f"<dl>{facts}</dl>"
            f'<form method="post" action="/store/{SERVICE}?org_no={escape(org_no)}">'
            "<button type=submit>Fortsätt</button></form>"
        )
        return _html("Påminnelse & Inkasso", body)

    def activate(self, org_no: str) -> Response:
        if not (self.handoff_url and self.secret):
            return _html("Inexchange", "<p>Tjänsten är inte konfigurerad.</p>", status=503)
        erp_id = erp_id_for(org_no)
        with self.emulator.lock:
            self.emulator.companies[erp_id] = org_no  # the link, as companies/register makes it
            self.activations.append(org_no)
        params = handoff_sign(secret=self.secret, erp_id=erp_id, org_no=org_no)
        return Response(status=303, headers={"Location": handoff_url(self.handoff_url, params)})


def _html(title: str, body: str, *, status: int = 200) -> Response:
    page = _PAGE.format(title=escape(title), body=body)
    return Response(page, status=status, mimetype="text/html")
