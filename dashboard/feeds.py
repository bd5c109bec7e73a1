"""The Atom feed of releases (/whats-new/feed.atom): one entry per release, newest 50.

Addresses start with SITE_URL: Django's syndication framework leaves an absolute address
as it is, instead of prefixing the Host the request came with.
Each entry's id is its release page's absolute address, which never changes; `updated`
moves to the withdrawal's date when a release is withdrawn, because what the entry says
about it changed then. Summaries and content are plain text (Atom `type="text"`).
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from dashboard.release_notes import ReleaseNote, notes_for, releases
from dashboard.site_url import absolute_url

SITE_NAME = "Online grooming crime in the UK"
ENTRIES = 50


class PlainTextAtomFeed(Atom1Feed):
    """Atom 1.0 with the summary and content as plain text: Django writes summaries as HTML,
    which a reader would parse, so a '<' in a reason could be taken for markup."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        handler.addQuickElement("summary", item["description"], {"type": "text"})
        handler.addQuickElement("content", item["content"], {"type": "text"})


class ReleaseFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = f"What's new: {SITE_NAME}"
    subtitle = "Every release of figures on the dashboard of online child-grooming crime in the UK."
    author_name = SITE_NAME

    def link(self) -> str:
        return absolute_url(reverse("whats_new"))

    def feed_url(self) -> str:
        return absolute_url(reverse("whats_new_feed"))

    def items(self) -> list[ReleaseNote]:
        return notes_for(list(releases()[:ENTRIES]), changes_shown=0)

    def item_title(self, note: ReleaseNote) -> str:
        title = f"Release {note.number}: {note.summary}"
        return f"{title} (withdrawn by release {note.withdrawn_by})" if note.withdrawn_by else title

    def item_description(self, note: ReleaseNote) -> str:
        return note.as_text()

    def item_extra_kwargs(self, note: ReleaseNote) -> dict[str, str]:
        return {"content": note.as_text()}

    def item_link(self, note: ReleaseNote) -> str:
        return absolute_url(reverse("whats_new_release", args=[note.number]))

    def item_pubdate(self, note: ReleaseNote):
        return note.published_at

    def item_updateddate(self, note: ReleaseNote):
        return note.updated_at
