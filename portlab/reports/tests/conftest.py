"""Fixtures for the Django side of reports: keys in a temporary directory, an approved
application, and an issued report, all made through the real services."""

from pathlib import Path

import pytest
from django.test import Client

from conftest import SIGNED
from portlab.accounts.models import User
from portlab.intake.models import Application
from portlab.reports import keystore
from portlab.reports.models import Report
from portlab.reports.services import report_issue
from portlab.testing.models import Test
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter, test_approve, test_review


@pytest.fixture
def keys_dir(settings, tmp_path: Path, lab, other_lab) -> Path:
    settings.PORTLAB_KEYS_DIR = tmp_path / "keys"
    keystore.network_keys_init()
    return settings.PORTLAB_KEYS_DIR


def approve(staff: dict[str, User], test: Test, value: str = "0.041",
            uncertainty: str = "0.006") -> None:
    result_enter(actor=staff["analyst"], test=test,
                 data=ResultInput(kind="numeric", value=value, uncertainty=uncertainty))
    test_review(actor=staff["reviewer"], test=test, decision="accept",
                expected_version=test.version, credential=SIGNED)
    test_approve(actor=staff["signatory"], test=test, decision="accept",
                 expected_version=test.version, credential=SIGNED)


@pytest.fixture
def approved_application(staff: dict[str, User], assigned_test: Test) -> Application:
    approve(staff, assigned_test)
    application = assigned_test.sample.application
    application.refresh_from_db()
    return application


@pytest.fixture
def issued_report(staff: dict[str, User], approved_application: Application,
                  keys_dir: Path) -> Report:
    return report_issue(actor=staff["signatory"], application=approved_application,
                        language="en", credential=SIGNED)


@pytest.fixture
def client() -> Client:
    """A browser that asks for English (the site default is Chinese)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")
