"""The analyst console: server-rendered pages under ``/ui`` over the same domain functions
the JSON API uses (the screener, the list store, the bulk jobs, the audit trail).

Everything it needs ships in this package: Jinja templates and its own small scripts and
styles (no CDN, no front-end framework; the network graph is drawn by a few hundred lines
of its own SVG force layout). Pages run under a Content-Security-Policy that allows only
those files, so nothing in a list or a query can run as script.
"""

from service.ui.views import bp

__all__ = ["bp"]
