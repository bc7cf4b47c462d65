from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttle


class ThrottledModelBackend(ModelBackend):
    """Django's model backend behind the sign-in lockout: while a lockout
    holds, the password is not even checked (PermissionDenied stops every
    backend; Django then sends ``user_login_failed``)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.get_user_model_username_field(), "")
        wait = throttle.locked_for(username or "", request)
        if wait:
            if request is not None:
                request.cong_locked_seconds = wait
            raise PermissionDenied(f"locked for {wait}s")
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def get_user_model_username_field():
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
