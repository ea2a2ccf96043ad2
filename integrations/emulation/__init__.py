"""The emulator kit: what every ERP emulator shares, so that one keeps only its routes, its auth
check, its rendering and its seed.

- `app.EmulatorApp`: the WSGI base (routing, request log, rate limit, faults, holds);
- `server`: the threaded server on 127.0.0.1 (`serve`) and the command line (`run_cli`);
- `store`: the object store (per kind and tenant) and paging by offset, page number and token;
- `faults`: timeouts, dropped connections, 429s, 5xx, expired tokens, malformed bodies, shifting
  pages and no duplicate refusal, programmable per route, method and count;
- `contracts`: OpenAPI / JSON Schema, XSD and UBL checks (test-only dependencies);
- `fixtures`: the seeds' data: companies, customers and invoices per country (valid org
  numbers, personal ids and payment references), bulk invoices from a generator;
- `testing`: start a seeded emulator in a test and get its URL.

Plain Python and werkzeug: no Django, no domain app.
"""

from integrations.emulation.app import EmulatorApp, Route
from integrations.emulation.faults import Fault, FaultPlan, RateLimitHeaders
from integrations.emulation.server import EmulatorServer, run_cli, serve, serve_until_stopped
from integrations.emulation.store import NotFound, ObjectStore

__all__ = [
    "EmulatorApp",
    "EmulatorServer",
    "Fault",
    "FaultPlan",
    "NotFound",
    "ObjectStore",
    "RateLimitHeaders",
    "Route",
    "run_cli",
    "serve",
    "serve_until_stopped",
]
