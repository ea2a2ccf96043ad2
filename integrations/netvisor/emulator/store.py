"""The Netvisor Store as the guide (seed 003, "Service activation") shows it, in the emulator: the
Netvisor user (picked by `?user=<e-mail>`: the emulator has no login) opens the Store, selects
"Activate" on the collection service, sees what data the service transfers and selects "Proceed
to activation"; the Store then grants our integration user the company and sends the browser to
our activation with a signed hand-off (integrations.netvisor.store: our design). "Remove" takes
the service out of use at once and sends the browser to us the same way.

    emulator.store_configure(handoff_url="http://autocollect/netvisor/store/", secret="...",
                             integration_user="autocollect-store")
    GET  /store?user=aino@...                       the Store
    GET  /store/collection?user=aino@...            what the service transfers
    POST /store/collection?user=aino@...            "Proceed to activation": grant + 303 to us
    POST /store/collection/remove?user=aino@...     "Remove": 303 to us
"""

from __future__ import annotations

from html import escape

from werkzeug.wrappers import Request, Response

from integrations.netvisor.store import handoff_sign, handoff_url

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;background:#f4f4f6;margin:0}}
header{{background:#3b1f5e;color:#fff;padding:.8rem 1.5rem;font-weight:600}}
main{{max-width:640px;margin:1.5rem auto;background:#fff;padding:1.2rem 1.5rem;border-radius:8px}}
.service{{border:1px solid #d5cfe0;border-radius:8px;padding:1rem;margin:.8rem 0}}
button,a.button{{background:#5a2d91;color:#fff;border:0;border-radius:4px;padding:.5rem 1rem;
text-decoration:none;cursor:pointer;font:inherit}} form{{display:inline}}</style>
</head><body><header>Netvisor Store</header><main>{body}</main></body></html>"""


class StorePages:
    def __init__(self, emulator):
        self.emulator = emulator
        self.handoff_url = ""
        self.secret = ""
        self.integration_user = ""  # our user the Store grants the company to
        self.people: dict[str, dict] = {}  # e-mail -> name, phone, role, org
        self.active: set[str] = set()  # companies with the service on
        self.clock = None  # the hand-off's time (a test sets it); else the emulator's clock

    def add_person(self, email: str, *, name: str, phone: str, role: str, org: str) -> None:
        """A Netvisor user with the e-mail and phone the guide requires to activate."""
        self.people[email] = {"name": name, "phone": phone, "role": role, "org": org}

    def grant(self, org: str) -> None:
        """The Store gives our integration user rights to the company."""
        with self.emulator.lock:
            orgs = self.emulator.state.users[self.integration_user]["orgs"]
            if org not in orgs:
                orgs.append(org)

    def __call__(self, request: Request) -> Response:
        email = request.args.get("user", "")
        person = self.people.get(email)
        if person is None:
            return _html("Netvisor", "<p>Log in to Netvisor first.</p>", status=401)
        path = request.path.rstrip("/")
        if path == "/store" and request.method == "GET":
            return self.front(email, person)
        if path == "/store/collection" and request.method == "GET":
            return self.details(email, person)
        if path == "/store/collection" and request.method == "POST":
            return self.send(email, person, "activate")
        if path == "/store/collection/remove" and request.method == "POST":
            return self.send(email, person, "remove")
        return _html("Netvisor", "<p>No such page.</p>", status=404)

    def _company(self, person: dict) -> dict:
        return self.emulator.state.companies.get(person["org"], {})

    def front(self, email: str, person: dict) -> Response:
        q = f"?user={escape(email)}"
        company = self._company(person)
        # Activate again while the service waits for its activation (or after it lapsed, or
        # was removed); Remove once it was taken into use.
        action = f'<a class="button" href="/store/collection{q}">Activate</a>'
        if person["org"] in self.active:
            action += (
                f' <form method="post" action="/store/collection/remove{q}">'
                "<button type=submit>Remove</button></form>"
            )
        body = (
            f"<h1>Netvisor Store</h1><p>{escape(person['name'])} · "
            f"{escape(company.get('name', ''))} ({escape(person['org'])})</p>"
            '<div class="service"><h2>AutoCollect reminder and collection service</h2>'
            "<p>Send overdue invoices to reminders and reminded invoices to collection.</p>"
            f"{action}</div>"
        )
        return _html("Netvisor Store", body)

    def details(self, email: str, person: dict) -> Response:
        body = (
            "<h1>AutoCollect reminder and collection service</h1>"
            "<p>The service activation transfers to AutoCollect: the company's basic "
            "information, the invoices you send to the service with their customers, and the "
            "payments recorded on them.</p>"
            f'<form method="post" action="/store/collection?user={escape(email)}">'
            "<button type=submit>Proceed to activation</button></form>"
        )
        return _html("Activate", body)

    def send(self, email: str, person: dict, action: str) -> Response:
        if not (self.handoff_url and self.secret and self.integration_user):
            return _html("Netvisor", "<p>The service is not configured.</p>", status=503)
        org = person["org"]
        if action == "activate":
            self.grant(org)
            self.active.add(org)
        else:
            self.active.discard(org)  # out of use at once; no notice to the service (guide)
        params = handoff_sign(
            secret=self.secret,
            now=(self.clock or self.emulator.clock)().timestamp(),
            action=action,
            org=org,
            email=email,
            name=person["name"],
            phone=person["phone"],
            role=person["role"],
        )
        return Response(status=303, headers={"Location": handoff_url(self.handoff_url, params)})


def _html(title: str, body: str, *, status: int = 200) -> Response:
    page = _PAGE.format(title=escape(title), body=body)
    return Response(page, status=status, mimetype="text/html")
