"""The in-memory data behind the Tripletex emulator: companies, tokens, sessions, customers.

Objects live in the kit's ObjectStore as dicts shaped like Tripletex JSON, with money as Decimal
and links to other objects as `Ref(kind, id)`; `views` renders them with the `fields` rules.
Keys starting with "_" are internal and never rendered ("_company" is the tenant). Not
thread-safe on its own: the emulator holds its lock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from integrations.emulation.faults import FaultPlan
from integrations.emulation.store import NotFound, ObjectStore
from integrations.tripletex.emulator.ledger import Ledger
from integrations.tripletex.emulator.model import (
    ACCOUNTS,
    COUNTRIES,
    ID_BASES,
    RATES,
    ApiFailure,
    Ref,
    invalid,
)


class State(Ledger):
    def __init__(self, consumer_token: str, faults: FaultPlan | None = None):
        self.store = ObjectStore(ID_BASES, tenant_key="_company")
        self.objects = self.store.objects
        # No duplicate refusal is a fault of the kit: Tripletex answers 409 to a repeated
        # external voucher number unless faults.allow_duplicates("voucher").
        self.faults = faults or FaultPlan()
        self.employee_tokens: dict[str, dict] = {}  # secret -> {"id", "company", "employee", ...}
        self.sessions: dict[str, dict] = {}  # session token -> {"employee_token", "expires"}
        self.lists: dict[tuple, tuple[int, list]] = {}  # list query -> (store generation, refs)
        self.consumer_tokens = {consumer_token: self._new("consumerToken", token="", _secret=True)}
        for code in RATES:
            self.store.add(
                "currency",
                {
                    "version": 0,
                    "code": code,
                    "description": code,
                    "factor": 1,
                    "displayName": code,
                    "isDisabled": False,
                },
                obj_id=len(self.objects["currency"]) + 1,
            )
        for cid, (a2, a3, num, name) in COUNTRIES.items():
            self.store.add(
                "country",
                {
                    "version": 0,
                    "name": name,
                    "displayName": name,
                    "isoAlpha2Code": a2,
                    "isoAlpha3Code": a3,
                    "isoNumericCode": num,
                },
                obj_id=cid,
            )

    # --- plumbing ----------------------------------------------------------------------------

    def _new(self, kind: str, *, _front: bool = False, **fields) -> Ref:
        record = self.store.add(kind, {"version": 0, **fields}, front=_front)
        return Ref(kind, record["id"])

    def get(self, kind: str, obj_id: int, company: int | None = None) -> dict:
        try:
            return self.store.get(kind, obj_id, company)
        except NotFound:
            raise ApiFailure(404, 6000, f"Object not found: {kind} {obj_id}") from None

    def delete(self, kind: str, obj_id: int, company: int | None = None) -> None:
        """Remove an object as if deleted in Tripletex: reading it answers 404 from now on."""
        self.get(kind, obj_id, company)
        self.store.delete(kind, obj_id)

    def update(self, kind: str, obj_id: int, company: int | None = None, **fields) -> None:
        """Change fields of an object as a user would in Tripletex (e.g. a customer's name)."""
        obj = self.get(kind, obj_id, company)
        self.store.update(kind, obj_id, company, **fields, version=obj["version"] + 1)

    def owned(self, kind: str, company: int) -> list[dict]:
        """The company's objects of a kind, in the order lists answer in."""
        return self.store.all(kind, company)

    def next_number(self, company: int, series: str, start: int = 1) -> int:
        return self.store.next_number(company, series, start)

    @property
    def refuse_duplicate_vouchers(self) -> bool:
        return self.faults.refuses_duplicates("voucher")

    def currency_ref(self, code: str) -> Ref:
        for cur in self.objects["currency"].values():
            if cur["code"] == code.upper():
                return Ref("currency", cur["id"])
        raise invalid(("currency", f"Ukjent valuta: {code}"))

    def address(self, line1="", line2="", postal_code="", city="", country="NO") -> Ref:
        country_id = next((k for k, v in COUNTRIES.items() if v[0] == country), 161)
        text = ", ".join(x for x in (line1, line2, f"{postal_code} {city}".strip()) if x)
        return self._new(
            "address",
            addressLine1=line1,
            addressLine2=line2,
            postalCode=postal_code,
            city=city,
            country=Ref("country", country_id),
            displayName=text,
            addressAsString=text,
        )

    def account_by_number(self, company: int, number: int) -> dict:
        for acc in self.owned("account", company):
            if acc["number"] == number:
                return acc
        raise invalid(("account", f"Konto {number} finnes ikke."))

    # --- companies, people, tokens -----------------------------------------------------------

    def add_company(
        self,
        name: str,
        organization_number: str,
        *,
        email="",
        phone="",
        address_line1="",
        postal_code="",
        city="",
        company_type="AS",
        accountant=False,
    ) -> int:
        ref = self._new(
            "company",
            name=name,
            displayName=name,
            startDate="2015-01-01",
            organizationNumber=organization_number,
            email=email,
            phoneNumber=phone,
            phoneNumberMobile="",
            faxNumber="",
            address=self.address(address_line1, "", postal_code, city),
            type=company_type,
            currency=self.currency_ref("NOK"),
            accountantOrSimilar=accountant,
            invoiceShowDeliveryDate=False,
        )
        accounts = {}
        for number, acc_name, acc_type, flag in ACCOUNTS:
            accounts[number] = self._new(
                "account",
                _company=ref.id,
                number=number,
                numberPretty=str(number),
                name=acc_name,
                description="",
                type=acc_type,
                ledgerType="GENERAL",
                vatLocked=False,
                currency=self.currency_ref("NOK"),
                isCloseable=number in (1500, 1550),
                isApplicableForSupplierInvoice=False,
                requireReconciliation=False,
                isInactive=False,
                isBankAccount=flag == "bank",
                isInvoiceAccount=flag == "invoice",
                bankAccountNumber="",
                displayName=f"{number} {acc_name}",
                requiresDepartment=False,
                requiresProject=False,
                isPostingsExist=False,
            )
        self._new(
            "paymentType",
            _company=ref.id,
            description="Betalt til bank",
            displayName="Betalt til bank",
            debitAccount=accounts[1920],
            creditAccount=accounts[1500],
            sequence=1,
        )
        return ref.id

    def add_employee_token(
        self,
        company: int,
        token: str | None = None,
        *,
        first_name="API",
        last_name="Integrasjon",
        clients=(),
    ) -> str:
        self.get("company", company)
        secret = token or f"test-employee-{secrets.token_hex(8)}"
        employee = self._new(
            "employee",
            _company=company,
            firstName=first_name,
            lastName=last_name,
            displayName=f"{first_name} {last_name}",
            email="",
            companyId=company,
        )
        ref = self._new("employeeToken", employee=employee, token="", expirationDate="2099-12-31")
        self.employee_tokens[secret] = {
            "ref": ref,
            "company": company,
            "employee": employee.id,
            "clients": set(clients),
        }
        return secret

    def grant_login_access(self, token: str, company: int) -> None:
        self.get("company", company)
        self.employee_tokens[token]["clients"].add(company)

    def create_session(self, consumer: str, employee: str, expires: dt.date) -> dict:
        if consumer not in self.consumer_tokens or employee not in self.employee_tokens:
            raise ApiFailure(
                401,
                3000,
                "Ugyldig consumerToken eller employeeToken.",
                "Invalid consumer or employee token",
            )
        if expires < dt.date.today():
            raise invalid(("expirationDate", "Utløpsdato kan ikke være i fortiden."))
        secret = f"test-{secrets.token_urlsafe(24)}"
        self.sessions[secret] = {"employee_token": employee, "expires": expires}
        ref = self._new(
            "sessionToken",
            consumerToken=self.consumer_tokens[consumer],
            employeeToken=self.employee_tokens[employee]["ref"],
            expirationDate=expires.isoformat(),
            token=secret,
            encryptionKey="",
        )
        return self.objects["sessionToken"][ref.id]

    def authenticate(self, username: str, session_token: str) -> tuple[int, dict]:
        """(company id, employee token record) for Basic auth, or an ApiFailure."""
        session = self.sessions.get(session_token)
        if session is None or session["expires"] < dt.date.today():
            raise ApiFailure(401, 3000, "Ugyldig eller utløpt sesjon.", "Invalid session token")
        token = self.employee_tokens[session["employee_token"]]
        try:
            wanted = int(username or 0)
        except ValueError:
            raise ApiFailure(
                401, 3000, "Ugyldig brukernavn.", "Username must be a company id"
            ) from None
        if wanted in (0, token["company"]):
            return token["company"], token
        if wanted in token["clients"]:
            return wanted, token
        raise ApiFailure(
            403,
            9000,
            "Du har ikke tilgang til denne klienten.",
            f"No login access to company {wanted}",
        )

    # --- customers and invoices --------------------------------------------------------------

    def add_customer(
        self,
        company: int,
        name: str,
        *,
        organization_number="",
        is_private=False,
        email="",
        invoice_email="",
        phone="",
        address_line1="",
        postal_code="",
        city="",
        country="NO",
        category: str = "",
        customer_number=None,
    ) -> int:
        self.get("company", company)
        number = customer_number or self.next_number(company, "customer", 10001)
        fields = dict(
            _company=company,
            name=name,
            organizationNumber=organization_number,
            supplierNumber=0,
            customerNumber=number,
            isSupplier=False,
            isCustomer=True,
            isInactive=False,
            email=email,
            invoiceEmail=invoice_email,
            overdueNoticeEmail="",
            bankAccounts=[],
            phoneNumber=phone,
            phoneNumberMobile="",
            description="",
            language="NO",
            displayName=f"{name} ({number})",
            isPrivateIndividual=is_private,
            singleCustomerInvoice=False,
            invoiceSendMethod="EMAIL",
            emailAttachmentType="LINK",
            postalAddress=self.address(address_line1, "", postal_code, city, country),
            physicalAddress=self.address(country=country),
            invoicesDueIn=14,
            invoicesDueInType="DAYS",
            currency=self.currency_ref("NOK"),
            isFactoring=False,
            isAutomaticSoftReminderEnabled=False,
            isAutomaticReminderEnabled=False,
            isAutomaticNoticeOfDebtCollectionEnabled=False,
            discountPercentage=Decimal("0"),
            website="",
        )
        if category:
            fields["category1"] = self._category(company, category)
        return self._new("customer", **fields).id

    def _category(self, company: int, name: str) -> Ref:
        for cat in self.owned("customerCategory", company):
            if cat["name"] == name:
                return Ref("customerCategory", cat["id"])
        number = str(len(self.owned("customerCategory", company)) + 1)
        return self._new(
            "customerCategory",
            _company=company,
            name=name,
            number=number,
            description="",
            type=0,
            displayName=f"{number} {name}",
        )
