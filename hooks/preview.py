"""PR previews: `make preview PR=123` builds the site marked as a preview.

Active only when PREVIEW_PR is set. Then every page carries a banner in its
own language and `noindex, nofollow`, and no sitemap is written, so search
engines never take a preview for the real site. site_url (SITE_URL) points
at the preview's own base path, so every link stays inside the preview.
"""

from __future__ import annotations

import os


def on_config(config):
    pr = os.environ.get("PREVIEW_PR", "").strip()
    if not pr:
        return config
    if not pr.isdigit():
        raise SystemExit(f"PREVIEW_PR must be a pull request number, not {pr!r}")
    config.extra["preview"] = {"pr": pr, "commit": os.environ.get("PREVIEW_COMMIT", "")[:7]}
    config.theme.static_templates.discard("sitemap.xml")
    return config
