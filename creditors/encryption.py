"""ERP credentials encrypted at rest: a JSON value stored as a Fernet token (text).

Keys come from settings.AUTOCOLLECT_FERNET_KEYS (the environment): the first encrypts, every key
decrypts, so a key is rotated without downtime (`manage.py reencrypt_erp_secrets`). A database
dump or a read-only SQL console shows tokens, never an API key.
"""

import functools
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("AUTOCOLLECT_FERNET_KEYS is empty: ERP secrets cannot be read")
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    # Keyed on the settings' keys, so that a test overriding them gets its own.
    return _fernet(tuple(settings.AUTOCOLLECT_FERNET_KEYS))


def encrypt_json(value) -> str:
    return fernet().encrypt(json.dumps(value, sort_keys=True).encode()).decode()


def decrypt_json(token: str):
    try:
        return json.loads(fernet().decrypt(token.encode()))
    except InvalidToken:
        # Never echo the stored value: it could be a secret stored in clear by mistake.
        raise ImproperlyConfigured(
            "an encrypted ERP connection cannot be decrypted with AUTOCOLLECT_FERNET_KEYS "
            "(a key missing from the list?)"
        ) from None


class EncryptedJSONField(models.TextField):
    """A JSON object kept encrypted in a text column. Not searchable, by design."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)  # no form shows it; services set it
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is dict:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        if kwargs.get("editable") is False:
            del kwargs["editable"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return {} if value == "" else value
        return decrypt_json(value)

    def to_python(self, value):
        # Serialized data (dumpdata, the tests' serialized rollback) holds the token, not the
        # secret: see value_to_string.
        if isinstance(value, str):
            return decrypt_json(value) if value else {}
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_json(value)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj)) or ""

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise TypeError(f"{self.name} is encrypted: it cannot be filtered on ({lookup_name})")
        return super().get_lookup(lookup_name)
