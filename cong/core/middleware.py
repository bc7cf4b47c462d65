from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = settings.CONG_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with one policy for the public sites and one for the admin.

    No policy allows inline script. A view may widen the public policy for one
    response by setting ``request.csp_update`` (a dict of directive lists);
    the portal's EMC monitoring script is added that way.
    """

    admin_prefixes = ("/admin/", "/django-admin/")

    def get_policy_parts(self, request, response, report_only=False):
        if report_only:
            return PolicyParts()
        parts = super().get_policy_parts(request, response, report_only)
        if parts.config is None:
            if request.path_info.startswith(self.admin_prefixes):
                parts.config = settings.CONG_CSP_ADMIN
            else:
                parts.config = settings.CONG_CSP_PUBLIC
        extra = getattr(request, "csp_update", None)
        if extra:
            merged = dict(parts.update or {})
            for directive, sources in extra.items():
                merged[directive] = [*merged.get(directive, []), *sources]
            parts.update = merged
        return parts
