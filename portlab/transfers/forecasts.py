"""Learning lateness from a lab's own record, and the nightly refit of the prediction.

When an application is filed, `forecast_record` keeps the completion date then predicted (the
application page's, `prediction.application_predicted_completion`) and each requested test's
simulated day. Nightly (`portlab lateness_fit`, on the schedule), `lateness_refit` counts how
many working days after its simulated day each completed test completed (`lateness.py`, pure)
and stores a table per lab with enough of them, and one for the whole network, its interval's
levels calibrated on the last completed applications; predictions then use the lab's newest
table, else the network's (`selectors.lateness_bases`). The same run refits the working days
a down instrument is expected to stay down (`downtime_fits`).
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.audit.services import audit_record
from portlab.instruments.downtime import MINIMUM_EPISODES
from portlab.intake.models import DROPPED_STATUSES, Application
from portlab.network.models import Lab
from portlab.testing.models import DROPPED_TEST_STATUSES, Test
from portlab.transfers import lateness
from portlab.transfers.downtime_fits import DowntimeRefit, downtime_refit
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


Filed = tuple[tuple[datetime, int], lateness.Record]  # (filing time, forecast id), tests


def forecasts_by_lab() -> dict[int, list[Filed]]:
    """Lab id → each application's kept forecast, in filing order: its tests' (simulated day,
    completion day, None while open). Completed as the prediction counts it (a completion
    time, neither retracted nor cancelled); a test redone after a retest counts once, by its
    last completion."""
    done = (Test.objects.filter(sample_id=OuterRef("sample_id"),
                                test_item_id=OuterRef("test_item_id"),
                                completed_at__isnull=False)
            .exclude(status__in=DROPPED_TEST_STATUSES)
            .order_by("-completed_at").values("completed_at")[:1])
    rows = (ForecastedTest.objects.annotate(completed_at=Subquery(done))
            .order_by("forecast__application__submitted_at", "forecast_id", "pk")
            .values_list("lab_id", "forecast__application__submitted_at", "forecast_id",
                         "simulated_on", "completed_at"))
    found: dict[int, dict[int, Filed]] = defaultdict(dict)
    for lab_id, submitted, forecast_id, simulated, completed in rows.iterator(chunk_size=5000):
        _key, tests = found[lab_id].setdefault(forecast_id, ((submitted, forecast_id), []))
        tests.append((simulated, None if completed is None else timezone.localdate(completed)))
    return {lab_id: list(filed.values()) for lab_id, filed in found.items()}


@dataclass(frozen=True)
class Refit:
    """One table's outcome: `lab` None for the network; `stored` None when refused."""

    lab: Lab | None
    counted: lateness.LatenessFit
    minimum: int
    minimum_applications: int = lateness.MINIMUM_APPLICATIONS
    stored: LatenessFit | None = None

    def describe(self) -> str:
        scope = self.lab.code if self.lab else _("network")
        text = (_("%(scope)s: fitted on %(tests)d completed tests")
                if self.stored else
                _("%(scope)s: no fit, %(tests)d completed tests with a recorded forecast, "
                  "fewer than the %(minimum)d needed"))
        text %= {"scope": scope, "tests": self.counted.tests, "minimum": self.minimum}
        if self.stored:
            text += "; " + self._levels()
        if self.counted.uncovered:
            text += "; " + _("%(count)d left out: no working-day calendar for %(years)s") % {
                "count": self.counted.uncovered,
                "years": ", ".join(str(year) for year in self.counted.uncovered_years)}
        return text

    def _levels(self) -> str:
        counted, table = self.counted, self.counted.lateness
        assert table is not None
        values = {"low": table.low, "high": table.high, "applications": counted.applications,
                  "tests": counted.tests_before, "minimum": self.minimum_applications}
        if counted.covered is not None:
            return _("the interval's levels %(low).2f–%(high).2f calibrated on the last "
                     "quarter of the completed applications (%(applications)d), covering "
                     "%(covered).1f %% of them") % {**values, "covered": 100 * counted.covered}
        if counted.tests_before is None:
            return _("the interval's levels stay the default (%(low).2f–%(high).2f): the last "
                     "quarter of the completed applications holds %(applications)d, fewer "
                     "than the %(minimum)d needed to calibrate them") % values
        return _("the interval's levels stay the default (%(low).2f–%(high).2f): "
                 "%(tests)d completed tests filed before the last quarter of the completed "
                 "applications, fewer than the %(minimum)d needed") % {
            **values, "minimum": self.minimum}


@transaction.atomic
def lateness_refit(*, minimum: int = lateness.MINIMUM_TESTS,
                   minimum_applications: int = lateness.MINIMUM_APPLICATIONS,
                   now: datetime | None = None) -> list[Refit]:
    """Fit the network's lateness table and each lab's from their completed tests with a
    recorded forecast (`lateness.calibrated_fit`: the interval's levels calibrated on the
    last completed applications when at least `minimum_applications`), and store each with
    at least `minimum` tests. One transaction: every table of the run is stored, or none."""
    now = now or timezone.now()
    calendar = work_calendar()
    by_lab = forecasts_by_lab()
    everything = sorted((filed for lab in by_lab.values() for filed in lab),
                        key=lambda filed: filed[0])

    def refit(lab: Lab | None, filed: list[Filed]) -> Refit:
        counted = lateness.calibrated_fit([tests for _key, tests in filed], calendar, minimum,
                                          minimum_applications)
        return _refit(Refit(lab, counted, minimum, minimum_applications), now)

    refits = [refit(None, everything)]
    for lab in Lab.objects.filter(pk__in=list(by_lab)).order_by("code"):
        refits.append(refit(lab, by_lab[lab.pk]))
    return refits


def _refit(refit: Refit, now: datetime) -> Refit:
    counted, table = refit.counted, refit.counted.lateness
    if table is None:
        return refit
    stored = LatenessFit.objects.create(lab=refit.lab, fitted_at=now, tests=counted.tests,
                                        first=table.first, shares=list(table.shares),
                                        low=table.low, high=table.high,
                                        applications=counted.applications,
                                        covered=counted.covered)
    audit_record(actor=None, action="lateness_fit", entity=stored,
                 after={"tests": stored.tests, "first": stored.first, "shares": stored.shares,
                        "uncovered": counted.uncovered, "low": stored.low,
                        "high": stored.high, "applications": stored.applications,
                        "covered": stored.covered})
    return replace(refit, stored=stored)


@transaction.atomic
def prediction_refit(*, minimum: int = lateness.MINIMUM_TESTS,
                     minimum_applications: int = lateness.MINIMUM_APPLICATIONS,
                     minimum_episodes: int = MINIMUM_EPISODES,
                     now: datetime | None = None) -> list[Refit | DowntimeRefit]:
    """The nightly refit: the lateness tables, then the instruments' expected return, in one
    transaction (every fit of the run is stored, or none)."""
    now = now or timezone.now()
    return [*lateness_refit(minimum=minimum, minimum_applications=minimum_applications,
                            now=now),
            *downtime_refit(minimum=minimum_episodes, now=now)]
