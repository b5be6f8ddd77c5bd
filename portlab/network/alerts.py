"""The daily alert e-mail: each lab's quality and lab managers get what every registered alert
source (portlab/jobs/alerts.py) lists for their lab, in Chinese then English. A lab with nothing
due, or without a manager's address, gets no mail; a lab mailed today is not mailed again, so a
retried run sends only what its failed attempt had not sent."""

import datetime
import logging
from dataclasses import dataclass, field

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portlab.accounts.models import Role, User
from portlab.jobs.alerts import ALERT_SOURCES
from portlab.jobs.models import AlertSent
from portlab.network.models import Lab

logger = logging.getLogger(__name__)
LANGUAGES = ("zh-hans", "en")
MANAGERS = (Role.QUALITY_MANAGER, Role.LAB_MANAGER)


@dataclass
class AlertRun:
    mailed: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)


def managers(lab: Lab) -> list[str]:
    addresses = (User.objects.filter(is_active=True, roles__role__in=MANAGERS, roles__lab=lab)
                 .exclude(email="").values_list("email", flat=True).distinct())
    return sorted(set(addresses), key=str.lower)


def alert_sections(lab: Lab, today: datetime.date) -> list[tuple[str, list[str]]]:
    """(source title, lines) for each source with something for the lab, in the active
    language."""
    sections = []
    for source in ALERT_SOURCES.values():
        lines = [source.line(row) for row in source.rows(lab, today)]
        if lines:
            sections.append((str(source.title), lines))
    return sections


def _body(lab: Lab, today: datetime.date) -> tuple[str, str, int]:
    subjects, bodies, count = [], [], 0
    for language in LANGUAGES:
        with translation.override(language):
            sections = alert_sections(lab, today)
            count = sum(len(lines) for _title, lines in sections)
            subjects.append(_("%(lab)s: what falls due (%(day)s)")
                            % {"lab": lab.name, "day": today.isoformat()})
            text = [f"{title}\n" + "\n".join(f"  - {line}" for line in lines)
                    for title, lines in sections]
            bodies.append("\n\n".join(text))
    return " / ".join(subjects), "\n\n----\n\n".join(bodies) + "\n", count


def alerts_send(today: datetime.date) -> AlertRun:
    outcome = AlertRun()
    for lab in Lab.objects.order_by("code"):
        if AlertSent.objects.filter(lab_code=lab.code, day=today).exists():
            outcome.already.append(lab.code)
            continue
        subject, body, count = _body(lab, today)
        if not count:
            continue
        to = managers(lab)
        if not to:
            logger.warning("Lab %s has alerts but no manager with an e-mail address.", lab.code)
            outcome.no_address.append(lab.code)
            continue
        try:
            with transaction.atomic():
                AlertSent.objects.create(lab_code=lab.code, day=today, lines=count)
                EmailMessage(subject=subject, body=body, to=to).send()
        except IntegrityError:  # another run mailed it meanwhile
            outcome.already.append(lab.code)
            continue
        outcome.mailed.append(lab.code)
    return outcome
