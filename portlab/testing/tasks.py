"""The testing part of the daily alerts: open tests past their due date."""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portlab.jobs.alerts import alert_source
from portlab.testing.models import Test

OPEN = (Test.Status.PENDING, Test.Status.ASSIGNED, Test.Status.RESULTED, Test.Status.REVIEWED)


def overdue_tests(lab, today: datetime.date) -> QuerySet[Test]:
    return (Test.objects.filter(lab=lab, status__in=OPEN, due_date__lt=today)
            .select_related("sample", "test_item").order_by("due_date", "id"))


def overdue_line(test: Test) -> str:
    return _("%(sample)s %(item)s: due %(day)s, %(status)s") % {
        "sample": test.sample.number, "item": test.test_item.name,
        "day": test.due_date.isoformat(), "status": test.get_status_display()}


alert_source("overdue_tests", gettext_lazy("Overdue tests"), overdue_tests, overdue_line)
