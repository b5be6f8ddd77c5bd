"""A lab's working hours: 08:30-17:30 unless set; a day that ends before it starts is refused
in the admin form (in the user's language) and by the database."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory
from django.utils import translation

from conftest import PASSWORD
from portlab.accounts.models import User
from portlab.network.models import Lab


def lab_form(lab: Lab, start: str, end: str):
    """The lab's change form in the admin, where its details are edited."""
    request = RequestFactory().get("/admin/network/lab/")
    request.user = User.objects.create_superuser(username=f"root-{start}-{end}",
                                                 password="not-used-here")
    form_class = admin.site._registry[Lab].get_form(request, lab)
    data = {"code": lab.code, "district": lab.district_id, "kind": lab.kind,
            "name_zh": lab.name_zh, "name_en": lab.name_en, "city": lab.city,
            "cnas_number": lab.cnas_number, "distinct_reviewer_and_approver": "on",
            "workday_start": start, "workday_end": end}
    return form_class(data=data, instance=lab)


def test_a_lab_works_08_30_to_17_30_unless_set(lab) -> None:
    assert (lab.workday_start, lab.workday_end) == (datetime.time(8, 30), datetime.time(17, 30))
    form = lab_form(lab, "08:00", "20:00")
    assert form.is_valid(), form.errors
    form.save()
    lab.refresh_from_db()
    assert (lab.workday_start, lab.workday_end) == (datetime.time(8), datetime.time(20))


@pytest.mark.parametrize(("language", "message"), [
    ("en", "The working day must end after it starts (09:00); a working day past midnight "
           "is not supported."),
    ("zh-hans", "工作日结束时间必须晚于开始时间（09:00）；不支持跨越午夜的工作日。"),
])
def test_a_day_ending_before_it_starts_is_refused_in_the_user_s_language(
        lab, language: str, message: str) -> None:
    with translation.override(language):
        for end in ("08:00", "09:00"):
            form = lab_form(lab, "09:00", end)
            assert not form.is_valid()
            assert form.errors == {"workday_end": [message]}
    lab.refresh_from_db()
    assert lab.workday_end == datetime.time(17, 30)


def test_the_database_refuses_a_day_ending_before_it_starts(lab) -> None:
    lab.workday_end = datetime.time(7, 0)
    with pytest.raises(ValidationError):
        lab.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        lab.save()


def test_the_api_shows_each_lab_s_working_hours(staff, lab) -> None:
    Lab.objects.filter(pk=lab.pk).update(workday_start=datetime.time(8),
                                         workday_end=datetime.time(20))
    client = Client()
    assert client.login(username=staff["analyst"].username, password=PASSWORD)
    [row] = client.get("/api/v1/labs").json()
    assert (row["code"], row["workday_start"], row["workday_end"]) == ("TJ-TC", "08:00",
                                                                      "20:00")
