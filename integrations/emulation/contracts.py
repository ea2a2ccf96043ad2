"""Contract checks: every body an emulator sends (and every body a client sends it) against the
ERP's published definition, so the emulator answers in the real API's shape.

- `OpenApiContract`: an OpenAPI 3.0 document (JSON); checks the emulator's request log.
- `XsdContract`: an XML Schema (Netvisor's resources publish XSDs).
- `UblContract`: a UBL 2.1 invoice or credit note (Inexchange, Peppol), with its full XSD set
  when one is vendored, else the structure a collection case needs.

Test-only (jsonschema and lxml are dev dependencies): the emulators never import this module.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from pathlib import Path

ERROR_REF = "#/components/schemas/ApiError"


class OpenApiContract:
    """Validators for the document's component schemas. OpenAPI 3.0 schemas are draft-4 style.
    With `closed`, objects that list properties take no others (additionalProperties: false),
    so a field name the emulator invents fails; specs rarely say so themselves."""

    def __init__(self, path: Path | str, *, closed: bool = True, error_ref: str = ERROR_REF):
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4

        self.doc = json.loads(Path(path).read_text(encoding="utf-8"))
        self.error_ref = error_ref
        components = copy.deepcopy(self.doc["components"])
        if closed:
            for schema in components["schemas"].values():
                if "properties" in schema:
                    schema.setdefault("additionalProperties", False)
        resource = Resource(contents={"components": components}, specification=DRAFT4)
        self.registry = Registry().with_resource("urn:openapi", resource)

    def validator(self, ref: str):
        from jsonschema import Draft4Validator

        return Draft4Validator({"$ref": "urn:openapi" + ref}, registry=self.registry)

    def response_ref(self, method: str, path: str, status: int) -> str:
        if status >= 400:
            return self.error_ref
        responses = self.doc["paths"][path][method.lower()]["responses"]
        response = responses.get(str(status)) or responses.get("default")
        if response is None:
            response = next(r for code, r in responses.items() if code.startswith("2"))
        return response["content"]["application/json"]["schema"]["$ref"]

    def request_ref(self, method: str, path: str) -> str:
        body = self.doc["paths"][path][method.lower()]["requestBody"]["content"]
        return next(iter(body.values()))["schema"]["$ref"]

    def errors(self, ref: str, instance) -> list[str]:
        return [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in self.validator(ref).iter_errors(instance)
        ]

    def check(self, records: Iterable[dict], decode: Callable = json.loads) -> list[str]:
        """Problems in an emulator's log: each routed answer against its response schema (the
        error schema for 4xx/5xx), each request body against its request schema."""
        problems = []
        for record in records:
            route, method = record.get("route"), record["method"]
            if route is None or record.get("status") is None or record.get("fault"):
                continue  # unrouted, dropped, or broken on purpose
            if record.get("response_text"):
                ref = self.response_ref(method, route, record["status"])
                for error in self.errors(ref, decode(record["response_text"])):
                    problems.append(f"{method} {record['path']} -> {ref}: {error}")
            if record.get("request_text"):
                ref = self.request_ref(method, route)
                for error in self.errors(ref, decode(record["request_text"])):
                    problems.append(f"request {method} {record['path']}: {error}")
        return problems

    @staticmethod
    def covered(records: Iterable[dict]) -> set[tuple[str, str, bool]]:
        """(method, route, answered < 400) for every routed exchange in the log."""
        return {
            (r["method"], r["route"], r["status"] < 400)
            for r in records
            if r.get("route") and r.get("status") is not None and not r.get("fault")
        }


class XsdContract:
    """An XML Schema; `errors(xml)` lists what in a document breaks it."""

    def __init__(self, xsd: Path | str | bytes):
        from lxml import etree

        self._etree = etree
        if isinstance(xsd, Path) or (isinstance(xsd, str) and not xsd.lstrip().startswith("<")):
            tree = etree.parse(str(xsd))
        else:
            tree = etree.fromstring(xsd.encode() if isinstance(xsd, str) else xsd).getroottree()
        self.schema = etree.XMLSchema(tree)

    def parse(self, xml: str | bytes):
        data = xml.encode("utf-8") if isinstance(xml, str) else xml
        return self._etree.fromstring(data, parser=self._etree.XMLParser(resolve_entities=False))

    def errors(self, xml: str | bytes) -> list[str]:
        try:
            document = self.parse(xml)
        except self._etree.XMLSyntaxError as exc:
            return [f"not well-formed XML: {exc}"]
        if self.schema.validate(document):
            return []
        return [f"line {e.line}: {e.message}" for e in self.schema.error_log]


UBL = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
# What a collection case reads from an invoice; check each name against Peppol BIS 3 before an
# emulator relies on it (erp-apis.md, Inexchange).
UBL_REQUIRED = (
    "cbc:ID",
    "cbc:IssueDate",
    "cbc:DocumentCurrencyCode",
    "cac:AccountingSupplierParty",
    "cac:AccountingCustomerParty",
    "cac:LegalMonetaryTotal/cbc:PayableAmount",
)


class UblContract(XsdContract):
    """A UBL 2.1 Invoice or CreditNote: the full schema when `xsd` is given (the UBL 2.1 XSD set,
    vendored by the ERP that needs it), and always the elements in `required`."""

    def __init__(self, xsd: Path | str | bytes | None = None, required=UBL_REQUIRED):
        from lxml import etree

        self._etree = etree
        self.schema = XsdContract(xsd).schema if xsd is not None else None
        self.required = tuple(required)

    def errors(self, xml: str | bytes) -> list[str]:
        if self.schema is not None:
            problems = super().errors(xml)
            if problems:
                return problems
        try:
            root = self.parse(xml)
        except self._etree.XMLSyntaxError as exc:
            return [f"not well-formed XML: {exc}"]
        namespace = self._etree.QName(root).namespace
        if namespace not in (UBL["inv"], UBL["cn"]):
            return [f"root {root.tag} is not a UBL Invoice or CreditNote"]
        return [f"missing {path}" for path in self.required if root.find(path, UBL) is None]
