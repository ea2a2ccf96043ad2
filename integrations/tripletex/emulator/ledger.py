"""Invoices, payments, vouchers and voucher statuses of the Tripletex emulator (a State mixin).

A posting on the receivable (account 1500) with a customer and an invoice number moves that
invoice's outstanding amount and shows in the invoice's postings: that is how a payment, a credit
note or our settlement voucher shows on the invoice, as in Tripletex.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from integrations.tripletex.emulator.model import (
    RATES,
    VAT,
    ApiFailure,
    Ref,
    date_param,
    invalid,
    money,
)


class Ledger:
    """Needs the State plumbing: objects, _new, get, owned, next_number, currency_ref, ...
    and `refuse_duplicate_vouchers` (the kit's no-duplicate-refusal fault turns it off)."""

    def add_invoice(
        self,
        company: int,
        customer: int,
        invoice_date: dt.date,
        due_date: dt.date,
        amount: Decimal,
        currency: str = "NOK",
        kid: str = "",
        comment: str = "",
        invoice_number: int | None = None,
        credited: int = 0,
        *,
        front: bool = False,
    ) -> int:
        """`front`: list it before every other invoice of the company (a page that shifts)."""
        self.get("customer", customer, company)
        amount_cur = money(amount)
        amount_nok = money(amount_cur * RATES[currency.upper()])
        number = invoice_number or self.next_number(company, "invoice", 1001)
        ex_vat, ex_vat_cur = money(amount_nok / VAT), money(amount_cur / VAT)
        lines = [
            (1500, amount_nok, amount_cur),
            (3000, -ex_vat, -ex_vat_cur),
            (2700, ex_vat - amount_nok, ex_vat_cur - amount_cur),
        ]
        voucher = self._voucher(
            company,
            invoice_date,
            f"Faktura {number}",
            "",
            [
                dict(
                    account=n,
                    amount=a,
                    amount_currency=c,
                    currency=currency,
                    customer=customer if n == 1500 else None,
                    invoice_number=str(number) if n == 1500 else "",
                    term=due_date.isoformat() if n == 1500 else "",
                    type="OUTGOING_INVOICE_CUSTOMER_POSTING" if n == 1500 else None,
                    ref=kid,
                )
                for n, a, c in lines
            ],
        )
        receivable = self.objects["voucher"][voucher.id]["postings"][0]
        ref_doc = self.next_number(0, "document", 1024270001)
        ref = self._new(
            "invoice",
            _front=front,
            _company=company,
            invoiceNumber=number,
            invoiceDate=invoice_date.isoformat(),
            customer=Ref("customer", customer),
            creditedInvoice=credited,
            isCredited=False,
            invoiceDueDate=due_date.isoformat(),
            kid=kid,
            invoiceComment="",
            comment=comment,
            orders=[],
            orderLines=[],
            voucher=voucher,
            deliveryDate=invoice_date.isoformat(),
            amount=amount_nok,
            amountCurrency=amount_cur,
            amountExcludingVat=ex_vat,
            amountExcludingVatCurrency=ex_vat_cur,
            amountRoundoff=Decimal("0.00"),
            amountRoundoffCurrency=Decimal("0.00"),
            amountOutstanding=amount_nok,
            amountCurrencyOutstanding=amount_cur,
            amountOutstandingTotal=amount_nok,
            amountCurrencyOutstandingTotal=amount_cur,
            sumRemits=Decimal("0.00"),
            currency=self.currency_ref(currency),
            isCreditNote=bool(credited),
            isCharged=True,
            isApproved=True,
            postings=[receivable],
            reminders=[],
            invoiceRemarks="",
            documentId=ref_doc,
            ehfSendStatus="DO_NOT_SEND",
        )
        return ref.id

    def add_credit_note(self, company: int, invoice: int, date: dt.date, comment="") -> int:
        original = self.get("invoice", invoice, company)
        if original["isCreditNote"] or original["isCredited"]:
            raise invalid(("invoice", "Fakturaen er allerede kreditert."))
        code = self.objects["currency"][original["currency"].id]["code"]
        note_id = self.add_invoice(
            company,
            original["customer"].id,
            date,
            date,
            -original["amountCurrency"],
            code,
            "",
            comment or f"Kreditnota for faktura {original['invoiceNumber']}",
            credited=invoice,
        )
        note = self.objects["invoice"][note_id]
        for key in (
            "amountOutstanding",
            "amountCurrencyOutstanding",
            "amountOutstandingTotal",
            "amountCurrencyOutstandingTotal",
        ):
            original[key] += note[key]
            note[key] = Decimal("0.00")
        original["isCredited"] = True
        original["postings"].append(note["postings"][0])
        original["version"] += 1
        return note_id

    def register_payment(
        self,
        company: int,
        invoice_id: int,
        paid_on: dt.date,
        amount: Decimal,
        amount_currency: Decimal | None = None,
        payment_type: int | None = None,
    ) -> int:
        """A payment the creditor received directly (PUT /invoice/{id}/:payment). Returns the
        posting id of the credit on the receivable."""
        invoice = self.get("invoice", invoice_id, company)
        code = self.objects["currency"][invoice["currency"].id]["code"]
        if amount_currency is None:
            if code != "NOK":
                raise invalid(("paidAmountCurrency", "Må oppgis for faktura i utenlandsk valuta."))
            amount_currency = amount
        types = self.owned("paymentType", company)
        ptype = (
            next((t for t in types if t["id"] == payment_type), None) if payment_type else types[0]
        )
        if ptype is None:
            raise invalid(("paymentTypeId", f"Ukjent betalingstype {payment_type}."))
        bank = self.objects["account"][ptype["debitAccount"].id]["number"]
        voucher = self._voucher(
            company,
            paid_on,
            f"Innbetaling faktura {invoice['invoiceNumber']}",
            "",
            [
                dict(
                    account=bank,
                    amount=money(amount),
                    amount_currency=money(amount_currency),
                    currency=code,
                    type="INCOMING_PAYMENT_OPPOSITE",
                ),
                dict(
                    account=1500,
                    amount=-money(amount),
                    amount_currency=-money(amount_currency),
                    currency=code,
                    customer=invoice["customer"].id,
                    invoice_number=str(invoice["invoiceNumber"]),
                    type="INCOMING_PAYMENT",
                ),
            ],
        )
        return self.objects["voucher"][voucher.id]["postings"][1].id

    # --- vouchers ----------------------------------------------------------------------------

    def _voucher(
        self, company: int, date: dt.date, description: str, external: str, lines: list[dict]
    ) -> Ref:
        number = self.next_number(company, f"voucher{date.year}")
        ref = self._new(
            "voucher",
            _company=company,
            date=date.isoformat(),
            number=number,
            tempNumber=0,
            year=date.year,
            description=description,
            postings=[],
            externalVoucherNumber=external,
            vendorInvoiceNumber="",
            wasAutoMatched=False,
            displayName=f"{number}-{date.year} {description}",
            numberAsString=f"{number}-{date.year}",
        )
        for row, line in enumerate(lines, start=1):
            account = self.account_by_number(company, line["account"])
            account["isPostingsExist"] = True
            fields = dict(
                _company=company,
                voucher=ref,
                date=date.isoformat(),
                description=line.get("description") or description,
                account=Ref("account", account["id"]),
                amount=line["amount"],
                amountCurrency=line["amount_currency"],
                amountGross=line["amount"],
                amountGrossCurrency=line["amount_currency"],
                currency=self.currency_ref(line.get("currency") or "NOK"),
                invoiceNumber=line.get("invoice_number") or "",
                termOfPayment=line.get("term") or date.isoformat(),
                row=line.get("row") or row,
                externalRef=line.get("ref") or "",
                systemGenerated=False,
                matched=False,
            )
            if line.get("customer"):
                fields["customer"] = Ref("customer", line["customer"])
            if line.get("type"):
                fields["type"] = line["type"]
            posting = self._new("posting", **fields)
            self.objects["voucher"][ref.id]["postings"].append(posting)
            self._apply_to_invoice(company, self.objects["posting"][posting.id], account)
        return ref

    def _apply_to_invoice(self, company: int, posting: dict, account: dict) -> None:
        """A posting on the receivable with a customer and an invoice number moves that invoice's
        outstanding amount (the invoice's own posting excepted) and shows in its postings."""
        if account["number"] != 1500 or "customer" not in posting or not posting["invoiceNumber"]:
            return
        if posting.get("type") == "OUTGOING_INVOICE_CUSTOMER_POSTING":
            return
        for invoice in self.owned("invoice", company):
            if (
                str(invoice["invoiceNumber"]) == posting["invoiceNumber"]
                and invoice["customer"] == posting["customer"]
            ):
                invoice["amountOutstanding"] += posting["amountGross"]
                invoice["amountOutstandingTotal"] += posting["amountGross"]
                invoice["amountCurrencyOutstanding"] += posting["amountGrossCurrency"]
                invoice["amountCurrencyOutstandingTotal"] += posting["amountGrossCurrency"]
                invoice["postings"].append(Ref("posting", posting["id"]))
                invoice["version"] += 1
                posting["matched"] = True
                return

    def post_voucher(self, company: int, body) -> int:
        """POST /ledger/voucher: validate like Tripletex and book the postings."""
        if not isinstance(body, dict) or not isinstance(body.get("postings"), list):
            raise ApiFailure(422, 16000, "Request mapping failed", "Body must be a Voucher")
        date = date_param(body.get("date"), "date")
        external = body.get("externalVoucherNumber") or ""
        description = body.get("description") or ""
        if not isinstance(external, str) or not isinstance(description, str):
            raise invalid(("externalVoucherNumber", "Må være tekst."))
        if not body["postings"]:
            raise invalid(("postings", "Bilaget må ha posteringer."))
        lines = [self._voucher_line(company, i, p) for i, p in enumerate(body["postings"])]
        total = sum((line["amount"] for line in lines), Decimal(0))
        if total != 0:
            raise invalid(("postings", f"Bilaget er ikke i balanse: summen er {total}."))
        if external and self.refuse_duplicate_vouchers:
            for other in self.owned("voucher", company):
                if other["externalVoucherNumber"] == external:
                    raise ApiFailure(
                        409,
                        14000,
                        "Duplikat: bilaget finnes allerede.",
                        f"externalVoucherNumber {external} exists on voucher {other['id']}",
                    )
        return self._voucher(company, date, description, external, lines).id

    def _voucher_line(self, company: int, index: int, posting) -> dict:
        where = f"postings[{index}]"
        if not isinstance(posting, dict):
            raise ApiFailure(422, 16000, "Request mapping failed", f"{where} is not a Posting")
        account_id = (posting.get("account") or {}).get("id")
        account = self.objects["account"].get(account_id) if isinstance(account_id, int) else None
        if account is None or account["_company"] != company:
            raise invalid((f"{where}.account", "Kontoen finnes ikke."))
        gross = posting.get("amountGross")
        gross_cur = posting.get("amountGrossCurrency", gross)
        for name, value in (("amountGross", gross), ("amountGrossCurrency", gross_cur)):
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                raise invalid((f"{where}.{name}", "Må være et tall."))
        row = posting.get("row", index + 1)
        if isinstance(row, bool) or not isinstance(row, int) or row < 1:
            raise invalid((f"{where}.row", "Rad 0 er reservert for systemgenererte posteringer."))
        customer = posting.get("customer")
        customer_id = customer.get("id") if isinstance(customer, dict) else None
        if customer is not None:
            if not isinstance(customer_id, int):
                raise invalid((f"{where}.customer", "Kunden finnes ikke."))
            self.get("customer", customer_id, company)
        currency = posting.get("currency") if isinstance(posting.get("currency"), dict) else {}
        code = currency.get("code")
        if not code and isinstance(currency.get("id"), int):
            code = self.get("currency", currency["id"])["code"]
        return dict(
            account=account["number"],
            amount=money(gross),
            amount_currency=money(gross_cur),
            currency=code or "NOK",
            customer=customer_id,
            invoice_number=str(posting.get("invoiceNumber") or ""),
            description=posting.get("description") or "",
            row=row,
            term=posting.get("termOfPayment") or "",
        )

    def post_voucher_status(self, company: int, body) -> int:
        if not isinstance(body, dict):
            raise ApiFailure(422, 16000, "Request mapping failed", "Body must be a VoucherStatus")
        voucher_id = (
            (body.get("voucher") or {}).get("id") if isinstance(body.get("voucher"), dict) else None
        )
        if (
            not isinstance(voucher_id, int)
            or voucher_id not in self.objects["voucher"]
            or self.objects["voucher"][voucher_id]["_company"] != company
        ):
            raise invalid(("voucher", "Bilaget finnes ikke."))
        enums = {
            "type": ("TRIPLETEX", "SUPPLIERINVOICE_EXTERNAL", "DEBT_COLLECTION"),
            "status": ("WAITING", "DONE", "SKIPPED", "ERROR", "NONE", "PROCESSING", "RECLAIMED"),
            "message": ("NONE", "ONGOING", "NEEDS_APPROVAL", "WITHDRAWN", "SETTLED"),
        }
        values = {"type": "DEBT_COLLECTION", "status": "NONE", "message": "NONE"}
        for name, allowed in enums.items():
            value = body.get(name, values[name])
            if value not in allowed:
                raise invalid((name, f"Ugyldig verdi: {value!r}."))
            values[name] = value
        text = {k: body.get(k) or "" for k in ("externalObjectUrl", "comment", "referenceNumber")}
        if not all(isinstance(v, str) for v in text.values()):
            raise invalid(("referenceNumber", "Må være tekst."))
        stamp = dt.datetime.now().isoformat(timespec="milliseconds")
        return self._new(
            "voucherStatus",
            _company=company,
            voucher=Ref("voucher", voucher_id),
            timestamp=stamp,
            **values,
            **text,
        ).id
