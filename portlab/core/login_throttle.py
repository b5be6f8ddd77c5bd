"""django-axes' lockout check as the first authentication backend."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Checks the account's lockout on every login that comes with its request. django-axes
    refuses calls without one (test clients' login(), scripts); those have no address or page
    to throttle, so they pass on to the next backend unchecked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_ip(request) -> str | None:
    """The address django-axes records (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR only, as the rate
    limiter uses, and None when there is none (Client.force_login's bare request)."""
    return request.META.get("REMOTE_ADDR") or None
