"""A creditor's Inexchange connection, typed and checked at onboarding.

    {"base_url": "https://api.inexchange.com/v1/api", "erp_id": "ac-42"}

`erp_id` is OUR id for the company, the `ErpId` we registered it with as Inexchange's partner.
No secret is stored on the creditor: the partner API key is ours, the same for every creditor
(settings.INEXCHANGE_PARTNER_API_KEY), and the company's client token is created with it when
needed (and again when Inexchange refuses it), kept in the process only.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from integrations import connection

PAGE_SIZE = 100
_ERP_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


@dataclass(frozen=True)
class InexchangeConnection:
    base_url: str
    erp_id: str
    page_size: int = PAGE_SIZE

    @classmethod
    def from_dict(cls, data: dict) -> InexchangeConnection:
        problems = connection.unknown_settings(cls, data)
        base_url = data.get("base_url")
        problems += connection.base_url_problems(base_url)
        erp_id = data.get("erp_id")
        if not erp_id:
            problems.append("lacks erp_id")
        elif not isinstance(erp_id, str) or not _ERP_ID.match(erp_id):
            problems.append(f"erp_id {erp_id!r} is not 1 to 64 letters, digits or ._:-")
        page_size = data.get("page_size", PAGE_SIZE)
        problems += connection.whole_number_problems("page_size", page_size, 1, 1000)
        connection.refuse_problems(problems, label="Inexchange", erp="inexchange")
        return cls(base_url=base_url, erp_id=erp_id, page_size=page_size)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)
