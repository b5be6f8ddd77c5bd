"""Learning how long a down instrument stays down, from the instruments' status record.

Nightly, with the lateness refit (`forecasts.prediction_refit`), `downtime_refit` reads every
instrument's episodes out of service or under calibration (`instruments.selectors
.status_episodes`, from the audit trail), counts the working days each stayed down over the
year before (`instruments.downtime`, pure) and stores the median for the network and each lab
with enough episodes. Predictions then expect a down instrument back after the lab's newest
value, else the network's, else `queue_simulation.RETURN_DAYS` (`selectors.downtime_bases`).
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.audit.services import audit_record
from portlab.instruments import downtime
from portlab.instruments.selectors import status_episodes
from portlab.network.models import Lab
from portlab.transfers.models import DowntimeFit
from portlab.workdays.selectors import work_calendar


@dataclass(frozen=True)
class DowntimeRefit:
    """One expected return's outcome: `lab` None for the network; `stored` None when refused."""

    lab: Lab | None
    counted: downtime.DowntimeFit
    minimum: int
    stored: DowntimeFit | None = None

    def describe(self) -> str:
        counted = self.counted
        values = {"scope": self.lab.code if self.lab else _("network"),
                  "episodes": counted.episodes, "days": counted.days,
                  "minimum": self.minimum, "back": counted.return_days}
        text = (_("%(scope)s: a down instrument is expected back in %(back)d working days "
                  "(the median over %(days)d working days down in %(episodes)d episodes)")
                if self.stored else
                _("%(scope)s: no downtime fit, %(episodes)d episodes out of service or under "
                  "calibration, fewer than the %(minimum)d needed")) % values
        for count, note in (
                (counted.still_down, _("%d still down, counted as back today")),
                (counted.reversed, _("%d left out: back before it went down in the record")),
                (counted.uncovered, _("%d left out: no working-day calendar for its days"))):
            if count:
                text += "; " + note % count
        return text


@transaction.atomic
def downtime_refit(*, minimum: int = downtime.MINIMUM_EPISODES,
                   now: datetime | None = None) -> list[DowntimeRefit]:
    """Fit the network's expected return of a down instrument and each lab's (every lab with
    an instrument) over the year before `now`, and store each with at least `minimum`
    episodes. One transaction: every value of the run is stored, or none."""
    now = now or timezone.now()
    calendar, end = work_calendar(), timezone.localdate(now)
    by_lab = status_episodes()
    everything = [episode for episodes in by_lab.values() for episode in episodes]
    refits = [_store(DowntimeRefit(None, downtime.downtime_fit(everything, calendar, end,
                                                               minimum), minimum), now)]
    for lab in Lab.objects.filter(pk__in=list(by_lab)).order_by("code"):
        counted = downtime.downtime_fit(by_lab[lab.pk], calendar, end, minimum)
        refits.append(_store(DowntimeRefit(lab, counted, minimum), now))
    return refits


def _store(refit: DowntimeRefit, now: datetime) -> DowntimeRefit:
    counted = refit.counted
    if counted.return_days is None:
        return refit
    stored = DowntimeFit.objects.create(lab=refit.lab, fitted_at=now,
                                        episodes=counted.episodes, days=counted.days,
                                        return_days=counted.return_days)
    audit_record(actor=None, action="downtime_fit", entity=stored,
                 after={"episodes": stored.episodes, "days": stored.days,
                        "return_days": stored.return_days, "still_down": counted.still_down,
                        "reversed": counted.reversed, "uncovered": counted.uncovered})
    return replace(refit, stored=stored)
