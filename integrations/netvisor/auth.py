"""Netvisor's request signature: headers with a MAC computed over the final URL of each request
(query string included, exactly as sent), for integrations.http.SignedHeaderAuth.

HMACSHA256 (erp-apis.md 3.2; Netvisor support article 77000557880):
    key = customerKey & partnerKey
    msg = url & sender & customerId & timestamp & language & organisationId & transactionId
          & timestampUnix & customerKey & partnerKey
    MAC = hex(HMAC-SHA256(key, msg)), both ISO-8859-1
SHA256 (plain) and the legacy MD5 take the nine fields without the Unix timestamp, in the order
the published clients use (erp-apis.md 3.2; the official page shows it only as an image):
    url & sender & customerId & timestamp & language & organisationId & transactionId
        & customerKey & partnerKey
Every request gets a new transaction id (a reused one fails with REQUEST_NOT_UNIQUE), so a retry
is signed anew.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

LANGUAGES = ("EN", "FI", "SE")
ALGORITHMS = ("HMACSHA256", "SHA256", "MD5")  # MD5: legacy, deprecated by Netvisor


@dataclass(frozen=True)
class NetvisorKeys:
    sender: str  # our integration's name
    customer_id: str  # the API user's id and key (user-specific, reach the user's companies)
    customer_key: str
    partner_id: str  # ours as Visma's software partner
    partner_key: str
    organisation_id: str  # the company (Y-tunnus) each request is for
    language: str = "EN"

    def __post_init__(self):
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}")


def mac(
    keys: NetvisorKeys, url: str, timestamp: str, transaction_id: str, timestamp_unix: int
) -> str:
    message = "&".join(
        [
            url,
            keys.sender,
            keys.customer_id,
            timestamp,
            keys.language,
            keys.organisation_id,
            transaction_id,
            str(timestamp_unix),
            keys.customer_key,
            keys.partner_key,
        ]
    )
    key = f"{keys.customer_key}&{keys.partner_key}"
    return hmac.new(key.encode("iso-8859-1"), message.encode("iso-8859-1"), "sha256").hexdigest()


def plain_mac(
    keys: NetvisorKeys, url: str, timestamp: str, transaction_id: str, algorithm: str = "SHA256"
) -> str:
    """The SHA256 (or legacy MD5) MAC: a plain digest of the nine fields."""
    message = "&".join(
        [
            url,
            keys.sender,
            keys.customer_id,
            timestamp,
            keys.language,
            keys.organisation_id,
            transaction_id,
            keys.customer_key,
            keys.partner_key,
        ]
    )
    digest = {"SHA256": hashlib.sha256, "MD5": hashlib.md5}[algorithm]
    return digest(message.encode("iso-8859-1")).hexdigest()


def request_mac(
    keys: NetvisorKeys,
    url: str,
    timestamp: str,
    transaction_id: str,
    timestamp_unix: int,
    algorithm: str = "HMACSHA256",
) -> str:
    if algorithm == "HMACSHA256":
        return mac(keys, url, timestamp, transaction_id, timestamp_unix)
    if algorithm in ("SHA256", "MD5"):
        return plain_mac(keys, url, timestamp, transaction_id, algorithm)
    raise ValueError(f"algorithm must be one of {ALGORITHMS}")


@dataclass
class NetvisorSigner:
    """`signer(method, url)` -> the headers for one request (the clock and the transaction id
    can be given, for a test vector)."""

    keys: NetvisorKeys
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    new_transaction_id: Callable[[], str] = field(default=lambda: uuid.uuid4().hex)
    algorithm: str = "HMACSHA256"

    def __call__(self, method: str, url: str) -> dict[str, str]:
        moment = self.now()
        timestamp = moment.strftime("%Y-%m-%d %H:%M:%S.000")  # UTC, .000 as Netvisor wants
        unix = int(moment.timestamp())
        transaction_id = self.new_transaction_id()
        k = self.keys
        return {
            "X-Netvisor-Authentication-Sender": k.sender,
            "X-Netvisor-Authentication-CustomerId": k.customer_id,
            "X-Netvisor-Authentication-PartnerId": k.partner_id,
            "X-Netvisor-Authentication-Timestamp": timestamp,
            "X-Netvisor-Authentication-TimestampUnix": str(unix),
            "X-Netvisor-Authentication-TransactionId": transaction_id,
            "X-Netvisor-Interface-Language": k.language,
            "X-Netvisor-Organisation-ID": k.organisation_id,
            "X-Netvisor-Authentication-MACHashCalculationAlgorithm": self.algorithm,
            "X-Netvisor-Authentication-MAC": request_mac(
                k, url, timestamp, transaction_id, unix, self.algorithm
            ),
            "X-Netvisor-Authentication-UseHTTPResponseStatusCodes": "1",
        }
