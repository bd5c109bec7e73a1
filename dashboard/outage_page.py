"""Write the "service unavailable" page into STATIC_ROOT, for nginx to send when no app server answers.

    python -m dashboard.outage_page          # after collectstatic: scripts/production, deploy/entrypoint

nginx's own 502 and 504 pages offer no quick exit and no helplines; the deploy template sends
STATIC_ROOT/unavailable.html instead (deploy/nginx/dashboard.conf.template). It is the app's
outage page (dashboard/unavailable.py), rendered with this deployment's settings
(QUICK_EXIT_URL, SITE_URL) and the hashed names of the static files just collected, so run it
after every collectstatic. It needs no database: the helplines come from the seed file shipped
with the code, as on the app's own outage page.
"""

import os
import tempfile
from pathlib import Path

import django
from django.conf import settings

FILE_NAME = "unavailable.html"


def write_outage_page(static_root: Path) -> Path:
    """Write the page into `static_root` and return its path. The file is replaced in one
    rename, so nginx never sends half of it, and is readable by nginx's own user."""
    from dashboard.unavailable import unavailable_page_for_proxy  # needs Django's apps loaded

    html = unavailable_page_for_proxy()
    static_root.mkdir(parents=True, exist_ok=True)
    target = static_root / FILE_NAME
    handle, partial = tempfile.mkstemp(prefix=f".{FILE_NAME}.", dir=static_root)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(html)
    os.chmod(partial, 0o644)
    os.replace(partial, target)
    return target


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    django.setup()
    print(f"Wrote {write_outage_page(Path(settings.STATIC_ROOT))}")


if __name__ == "__main__":
    main()
