"""Learning lateness from a lab's own record.

When an application is filed, `forecast_record` keeps the completion date then predicted (the
application page's, `prediction.application_predicted_completion`) and each requested test's
simulated day. Nightly (`portlab lateness_fit`, on the schedule), `lateness_refit` counts how
many working days after its simulated day each completed test completed (`lateness.py`, pure)
and stores a table per lab with enough of them, and one for the whole network; predictions
then use the lab's newest table, else the network's (`selectors.lateness_bases`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.audit.services import audit_record
from portlab.intake.models import DROPPED_STATUSES, Application
from portlab.network.models import Lab
from portlab.testing.models import DROPPED_TEST_STATUSES, Test
from portlab.transfers import lateness
from portlab.transfers.models import Forecast, ForecastedTest, LatenessFit
from portlab.transfers.prediction import application_predicted_completion
from portlab.workdays.selectors import work_calendar


def forecast_record(application: Application) -> Forecast | None:
    """Keep the prediction made at filing: the application's date and 80 % interval, and each
    requested test's simulated day as a date. A test that cannot be predicted (no capacity)
    gets none; nothing is kept when no test can be, or when a forecast is already kept. Intake
    runs it once the filing has committed, so it never fails the filing."""
    if Forecast.objects.filter(application=application).exists():
        return None
    found = application_predicted_completion(application)
    if found is None or not found.simulated:
        return None
    samples = list(application.samples.exclude(status__in=DROPPED_STATUSES)
                   .order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        forecast = Forecast.objects.create(application=application, made_on=found.made_on,
                                           predicted_on=found.date, low=found.low,
                                           high=found.high)
        ForecastedTest.objects.bulk_create(
            ForecastedTest(forecast=forecast, sample_id=samples[position], test_item_id=item,
                           lab_id=application.lab_id, simulated_on=day)
            for (position, item), day in sorted(found.simulated.items()))
    return forecast


def completed_with_forecast() -> dict[int, list[tuple[date, date]]]:
    """Lab id → (simulated day, completion day) of each completed test with a recorded
    forecast: completed as the prediction counts it (a completion time, neither retracted nor
    cancelled); a test redone after a retest counts once, by its last completion."""
    done = (Test.objects.filter(sample_id=OuterRef("sample_id"),
                                test_item_id=OuterRef("test_item_id"),
                                completed_at__isnull=False)
            .exclude(status__in=DROPPED_TEST_STATUSES)
            .order_by("-completed_at").values("completed_at")[:1])
    rows = (ForecastedTest.objects.annotate(completed_at=Subquery(done))
            .filter(completed_at__isnull=False)
            .values_list("lab_id", "simulated_on", "completed_at"))
    found: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for lab_id, simulated, completed in rows.iterator(chunk_size=5000):
        found[lab_id].append((simulated, timezone.localdate(completed)))
    return found


@dataclass(frozen=True)
class Refit:
    """One table's outcome: `lab` None for the network; `stored` None when refused."""

    lab: Lab | None
    counted: lateness.LatenessFit
    minimum: int
    stored: LatenessFit | None = None

    def describe(self) -> str:
        scope = self.lab.code if self.lab else _("network")
        text = (_("%(scope)s: fitted on %(tests)d completed tests")
                if self.stored else
                _("%(scope)s: no fit, %(tests)d completed tests with a recorded forecast, "
                  "fewer than the %(minimum)d needed"))
        text %= {"scope": scope, "tests": self.counted.tests, "minimum": self.minimum}
        if self.counted.uncovered:
            text += "; " + _("%(count)d left out: no working-day calendar for %(years)s") % {
                "count": self.counted.uncovered,
                "years": ", ".join(str(year) for year in self.counted.uncovered_years)}
        return text


@transaction.atomic
def lateness_refit(*, minimum: int = lateness.MINIMUM_TESTS,
                   now: datetime | None = None) -> list[Refit]:
    """Fit the network's lateness table and each lab's from their completed tests with a
    recorded forecast, and store each with at least `minimum` tests. One transaction: every
    table of the run is stored, or none."""
    now = now or timezone.now()
    calendar = work_calendar()
    by_lab = completed_with_forecast()
    everything = [pair for pairs in by_lab.values() for pair in pairs]
    refits = [_refit(None, lateness.lateness_fit(everything, calendar, minimum), minimum, now)]
    for lab in Lab.objects.filter(pk__in=list(by_lab)).order_by("code"):
        counted = lateness.lateness_fit(by_lab[lab.pk], calendar, minimum)
        refits.append(_refit(lab, counted, minimum, now))
    return refits


def _refit(lab: Lab | None, counted: lateness.LatenessFit, minimum: int,
           now: datetime) -> Refit:
    table = counted.lateness
    if table is None:
        return Refit(lab, counted, minimum)
    stored = LatenessFit.objects.create(lab=lab, fitted_at=now, tests=counted.tests,
                                        first=table.first, shares=list(table.shares),
                                        low=table.low, high=table.high)
    audit_record(actor=None, action="lateness_fit", entity=stored,
                 after={"tests": stored.tests, "first": stored.first, "shares": stored.shares,
                        "uncovered": counted.uncovered})
    return Refit(lab, counted, minimum, stored)
