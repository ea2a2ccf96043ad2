"""Tripletex API v2: client, mapping, adapter (registered as "tripletex") and an emulator."""

from integrations.tripletex import adapter  # noqa: F401  (registers the adapter)
