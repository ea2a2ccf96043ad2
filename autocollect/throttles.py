"""The API's rate limits, per user (an API key is its own user, so per key) and per address for
anonymous calls. Its own module: the settings name these classes, and DRF reads them while
defining APIView, so this module must not import DRF's views."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _RatesNow:
    """The rate read from the settings on each request, not frozen at import (tests change it)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(_RatesNow, UserRateThrottle):
    pass


class AnonThrottle(_RatesNow, AnonRateThrottle):
    pass
