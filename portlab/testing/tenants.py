"""Where tests and results belong, for the route gate (portlab.accounts.routes)."""

from portlab.accounts.access import Tenant
from portlab.accounts.routes import tenant_lookup
from portlab.testing.models import Result, Test


@tenant_lookup("test")
def test_by_id(kwargs: dict) -> Tenant | None:
    row = Test.objects.select_related("lab").filter(pk=kwargs["test_id"]).first()
    return Tenant(labs=(row.lab,)) if row else None


@tenant_lookup("audit:test")
def audited_test(kwargs: dict) -> Tenant | None:
    return test_by_id({"test_id": kwargs["pk"]})


@tenant_lookup("audit:result")
def audited_result(kwargs: dict) -> Tenant | None:
    row = Result.objects.select_related("test__lab").filter(pk=kwargs["pk"]).first()
    return Tenant(labs=(row.test.lab,)) if row else None
