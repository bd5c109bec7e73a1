"""/contact/: send a message to the people who run this site, stored for admins to read."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from feedback.forms import ContactForm, same_site_path
from feedback.models import Topic


# Public pages set no cookies, and a CSRF token needs one. CSRF protection stops another site
# from riding a signed-in visitor's session; this form is anonymous and there is no session
# to ride, so a forged post could do no more than anyone can do by filling in the form.
# Abuse is limited instead by the honeypot field and the size caps on every field.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ContactForm(request.POST, host=request.get_host())
        if form.is_valid():
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


def _prefill(request: HttpRequest) -> dict[str, str]:
    """The page a footer link came from, and a topic an accessibility link asked for, if they are sound."""
    initial = {"page": same_site_path(request.GET.get("from", ""))}
    topic = request.GET.get("topic", "")
    if topic in Topic.values:
        initial["topic"] = topic
    return initial
