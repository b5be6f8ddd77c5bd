"""Quality fixtures: the quality pages and API routes mounted, a quality manager, QC materials."""

import datetime

import pytest
from django.utils import timezone

from portlab.accounts.models import Role, User
from portlab.accounts.services import user_create
from portlab.quality import services
from portlab.quality.models import ControlMaterial


@pytest.fixture(autouse=True)
def quality_urls(settings):
    settings.ROOT_URLCONF = "portlab.quality.tests.urls"


@pytest.fixture
def quality_manager(staff, lab) -> User:
    return user_create(username="quality", password="test-password-1",
                       roles=[(Role.QUALITY_MANAGER, lab)])


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def lead_materials(quality_manager, lab, lead) -> list[ControlMaterial]:
    return [services.control_material_create(
        actor=quality_manager, lab=lab, test_item=lead, code=code, name=code, level=level,
        target_mean=mean, target_sd=sd, instrument_label="GFAAS #2")
        for code, level, mean, sd in (("PB-L1", "L1", 0.1, 0.01), ("PB-L2", "L2", 0.5, 0.05))]


@pytest.fixture
def other_lab_user(other_lab) -> User:
    return user_create(username="xingang-analyst", password="test-password-1",
                       roles=[(Role.ANALYST, other_lab)])
