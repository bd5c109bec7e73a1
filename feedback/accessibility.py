"""When the accessibility statement (/about/#accessibility) was prepared and last reviewed.

The regulations ask for both dates on the statement. They live here once, and the page shows
them through the `accessibility_statement_dates` template tag. Change STATEMENT_REVIEWED
each time someone reviews the statement against the site.
"""

import datetime as dt

STATEMENT_PREPARED = dt.date(2026, 11, 23)
STATEMENT_REVIEWED = dt.date(2026, 11, 23)
