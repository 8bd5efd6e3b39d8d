"""Response headers every screen and API answer carries (issue #15 item 6, docs/security.md).

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy
and (with JUMIN_TLS) HSTS; this adds what it does not:

- Content-Security-Policy (settings.CONTENT_SECURITY_POLICY): scripts only from our own static files, so an
  injected <script> or on*="" attribute does not run. A page that may be framed by our own pages (the
  issuance PDF preview, `xframe_options_sameorigin`) gets frame-ancestors 'self' instead of 'none', in step
  with its X-Frame-Options. PDFs get no CSP: Chromium's PDF viewer treats the document as plugin content and
  refuses to draw it under object-src 'none', and a PDF runs no script of ours.
- Cache-Control: no-store on everything but static files: pages, API answers, CSV and PDF carry personal data,
  and a shared counter PC must not keep them in its browser cache (nor a proxy).
"""

from django.conf import settings

NO_STORE = "no-store"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and not content_type.startswith("application/pdf"):
            if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
                policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
            response.setdefault("Content-Security-Policy", policy)
        if not request.path.startswith(self.static_prefix):
            response["Cache-Control"] = NO_STORE
        return response
