"""Demo applications walked through the real workflow to every state."""

import logging

from portlab.accounts.models import Enterprise, User
from portlab.core.errors import ApplicationError
from portlab.intake.models import Application
from portlab.intake.services import (
    SampleInput,
    application_cancel,
    application_register,
    sample_receive,
    sample_reject,
)
from portlab.network.models import Lab, ProductCategory, TestItem
from portlab.reports.services import report_issue
from portlab.testing.models import Test
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter, test_approve, test_assign, test_review

# (goods, HS code, category, items, enterprise index, target state)
APPLICATIONS = [
    ("泰国茉莉香米 25kg/袋", "1006302000", "RICE", ["PB", "CD", "AS-I", "AFB1"], 1, "approved"),
    ("荷兰全脂奶粉 25kg/袋", "0402210000", "MILK", ["PB", "MELAMINE", "AFM1"], 3, "reported"),
    ("越南大米 50kg/袋", "1006309000", "RICE", ["PB", "CD", "HG-T"], 2, "in_review"),
    ("冷冻罗非鱼片", "0304610000", "FISH", ["PB", "CD", "HG-M", "HISTAMINE"], 3, "in_testing"),
    ("新西兰全脂生乳", "0401200000", "MILK", ["PB", "AFM1", "MELAMINE", "PROTEIN"], 4,
     "received"),
    ("美国花生仁", "1202420000", "PEANUT", ["AFB1", "PB"], 2, "submitted"),
    ("澳大利亚小麦粉", "1101000000", "WHEAT-FLOUR", ["DON", "ZEN", "PB"], 1, "rejected"),
    ("智利鲜食葡萄", "0806100000", "FRESH-FRUIT", ["CARBENDAZIM", "PB"], 2, "cancelled"),
]

logger = logging.getLogger(__name__)

VALUES = {"PB": ("0.041", "0.006"), "CD": ("0.118", "0.015"), "AS-I": ("0.21", "0.03"),
          "AFB1": ("2.4", "0.5"), "HG-T": ("0.0062", "0.0011"), "HG-M": ("0.12", "0.02"),
          "HISTAMINE": ("12.5", "1.8"), "AFM1": ("0.08", "0.02"), "MELAMINE": ("0.21", "0.04"),
          "PROTEIN": ("3.15", "0.08")}


def _register(row, users, lab: Lab) -> Application:
    goods, hs, category, items, enterprise_index, _state = row
    user = users[f"enterprise{enterprise_index}"]
    enterprise = Enterprise.objects.get(roleassignment__user=user)
    item_ids = list(TestItem.objects.filter(code__in=items).values_list("id", flat=True))
    return application_register(
        actor=user, enterprise=enterprise, lab=lab, goods_description=goods, hs_code=hs,
        purpose=Application.Purpose.IMPORT, test_item_ids=item_ids,
        samples=[SampleInput(description=f"{goods} 样品 1", quantity="2 kg")],
        product_category=ProductCategory.objects.get(code=category),
        requires_accreditation=False, decision_rule="simple",
    )


def _work(application: Application, users: dict[str, User], state: str) -> None:
    sample = application.samples.get()
    sample_receive(actor=users["clerk"], sample=sample)
    if state == "received":
        return
    tests = Test.objects.filter(sample=sample).select_related("test_item").order_by("id")
    for index, test in enumerate(tests):
        test_assign(actor=users["manager"], test=test, analyst=users["analyst"])
        if state == "in_testing" and index > 0:
            continue
        value, uncertainty = VALUES.get(test.test_item.code, ("1.0", "0.1"))
        result_enter(actor=users["analyst"], test=test,
                     data=ResultInput(kind="numeric", value=value, uncertainty=uncertainty))
        if state in ("in_testing", "in_review"):
            continue
        test_review(actor=users["reviewer"], test=test, decision="accept")
        test_approve(actor=users["signatory"], test=test, decision="accept")
    if state == "reported":
        try:  # a signed report to verify at /verify, when the lab has its key
            report_issue(actor=users["signatory"], application=application)
        except ApplicationError as error:
            logger.warning("Demo report not issued: %s", error.message)


def applications_in_every_state(users: dict[str, User], lab: Lab) -> None:
    for row in APPLICATIONS:
        application = _register(row, users, lab)
        state = row[-1]
        if state == "rejected":
            sample_reject(actor=users["clerk"], sample=application.samples.get(),
                          reason="样品包装破损，已受污染")
        elif state == "cancelled":
            application_cancel(actor=users[f"enterprise{row[4]}"], application=application,
                               reason="货物退运，不再报验")
        elif state != "submitted":
            _work(application, users, state)
