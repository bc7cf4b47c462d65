import datetime as dt

from django.utils import timezone

from .models import LoginThrottle
from .throttle import WINDOW_SECONDS


def throttles_prune() -> int:
    """Forget counters that no longer matter (no lock, window long past)."""
    old = timezone.now() - dt.timedelta(seconds=WINDOW_SECONDS * 4)
    deleted, _ = LoginThrottle.objects.filter(window_started__lt=old).exclude(
        locked_until__gt=timezone.now()).delete()
    return deleted
