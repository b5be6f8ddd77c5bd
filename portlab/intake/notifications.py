"""Emails to an enterprise about its applications: sample received, sample rejected, report
issued. Each message is bilingual (Chinese first, then English) and goes to the enterprise's
contact address and to the addresses of its users.

Services schedule these with transaction.on_commit, so nothing is sent for a change that was
rolled back.
"""

import logging
from collections.abc import Callable

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from portlab.accounts.models import Enterprise, Role, User

logger = logging.getLogger(__name__)
LANGUAGES = ("zh-hans", "en")


def recipients(enterprise: Enterprise) -> list[str]:
    """The contact address and every active enterprise user's address, each once."""
    users = User.objects.filter(
        is_active=True, roles__role=Role.ENTERPRISE_USER, roles__enterprise=enterprise,
    ).exclude(email="").values_list("email", flat=True)
    found: dict[str, str] = {}
    for address in [enterprise.contact_email, *users]:
        if address:
            found.setdefault(address.strip().lower(), address.strip())
    return sorted(found.values(), key=str.lower)


def _send(enterprise: Enterprise, subject: Callable[[], str], template: str,
          context: dict) -> int:
    to = recipients(enterprise)
    if not to:
        logger.warning("No email address for enterprise %s; notification not sent.",
                       enterprise.pk)
        return 0
    subjects, bodies = [], []
    for language in LANGUAGES:
        with translation.override(language):
            subjects.append(subject())
            bodies.append(render_to_string(template, context).strip())
    message = EmailMessage(subject=" / ".join(subjects),
                           body="\n\n----\n\n".join(bodies) + "\n", to=to)
    return message.send()


def notify_sample_received(sample) -> int:
    application = sample.application
    return _send(
        application.enterprise,
        lambda: _("Sample %(sample)s received (application %(application)s)")
        % {"sample": sample.number, "application": application.number},
        "intake/email/sample_received.txt",
        {"sample": sample, "application": application},
    )


def notify_sample_rejected(sample) -> int:
    application = sample.application
    return _send(
        application.enterprise,
        lambda: _("Sample %(sample)s rejected (application %(application)s)")
        % {"sample": sample.number, "application": application.number},
        "intake/email/sample_rejected.txt",
        {"sample": sample, "application": application},
    )


def notify_report_issued(application, report_number: str) -> int:
    """For the reports app to call (on commit) when a report of `application` is issued."""
    return _send(
        application.enterprise,
        lambda: _("Report %(report)s issued (application %(application)s)")
        % {"report": report_number, "application": application.number},
        "intake/email/report_issued.txt",
        {"application": application, "report_number": report_number},
    )
