"""Transfer fixtures: the second district, its lab, its clerk, the agreement and a received
test waiting for a lab, shared with network's tests."""

from portlab.network.tests.conftest import (  # noqa: F401 (fixtures)
    agreement,
    beijing,
    beijing_clerk,
    beijing_lab,
    pending_test,
)
