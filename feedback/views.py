"""/contact/: send a message to the people who run this site, stored for admins to read."""

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from api.fair_use import Allowance
from dashboard.words import plural
from feedback.forms import ContactForm, same_site_path
from feedback.models import Topic

# Our judgement, not a rule from anywhere: a person rarely writes to us more than once or
# twice in an hour, and a school, office or library shares one address among many people,
# so five an hour leaves room for them while a flood from one address stores five messages,
# not thousands. Counted the way the API's fair use is (api/fair_use.py): per address, in the
# shared cache, and not at all while the cache is down, so the form then still works.
MESSAGES_PER_ADDRESS = Allowance("contact-form", limit=5, window=60 * 60)


# Public pages set no cookies, and a CSRF token needs one. CSRF protection stops another site
# from riding a signed-in visitor's session; this form is anonymous and there is no session
# to ride, so a forged post could do no more than anyone can do by filling in the form.
# Abuse is limited instead by the honeypot field, the size caps on every field and the
# number of messages stored from one address (MESSAGES_PER_ADDRESS).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ContactForm(request.POST, host=request.get_host())
        # Only a message we would store is counted: someone fixing a mistake loses nothing.
        if form.is_valid():
            wait = MESSAGES_PER_ADDRESS.seconds_to_wait(request)
            if wait is not None:
                return _not_sent_yet(request, form, wait)
            form.save()
            # 303: the browser follows with a GET, so reloading the thank-you page never resends.
            return HttpResponseRedirect(reverse("contact") + "?sent=1", status=303)
    else:
        form = ContactForm(initial=_prefill(request), host=request.get_host())
    context = {
        "form": form,
        "sent": request.method != "POST" and request.GET.get("sent") == "1",
        "contact_email": settings.CONTACT_EMAIL,
    }
    return render(request, "contact.html", context)


def _not_sent_yet(request: HttpRequest, form: ContactForm, wait: int) -> HttpResponse:
    """429: the form again with what they wrote, saying when it can be sent. Nothing is stored."""
    context = {
        "form": form,
        "not_sent": {
            "limit": plural(MESSAGES_PER_ADDRESS.limit, "message"),
            "wait": _minutes_in_words(wait),
        },
        "contact_email": settings.CONTACT_EMAIL,
    }
    response = render(request, "contact.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _minutes_in_words(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return "an hour" if minutes >= 60 else plural(minutes, "minute")


def _prefill(request: HttpRequest) -> dict[str, str]:
    """The page a footer link came from, and a topic an accessibility link asked for, if they are sound."""
    initial = {"page": same_site_path(request.GET.get("from", ""))}
    topic = request.GET.get("topic", "")
    if topic in Topic.values:
        initial["topic"] = topic
    return initial
