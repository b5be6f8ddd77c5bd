"""The guided application form: what it offers the user, and what a submitted form asks for."""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from portlab.accounts.models import Enterprise, Role
from portlab.accounts.permissions import enterprise_ids, has_role
from portlab.core.errors import ApplicationError
from portlab.core.views import optional_int
from portlab.intake.models import Application
from portlab.intake.services import SampleInput
from portlab.network.models import Lab, ProductCategory, TestItem


def applicant_choices(user):
    """Enterprise users file for their own enterprises only; reception clerks for any."""
    if has_role(user, Role.RECEPTION_CLERK) or has_role(user, Role.ADMINISTRATOR):
        return Enterprise.objects.order_by("name_zh")
    return Enterprise.objects.filter(id__in=enterprise_ids(user)).order_by("name_zh")


def form_choices(user) -> dict:
    return {"enterprises": applicant_choices(user), "labs": Lab.objects.order_by("code"),
            "categories": ProductCategory.objects.order_by("code"),
            "test_items": TestItem.objects.filter(capabilities__isnull=False).distinct()
            .order_by("code"),
            "purposes": Application.Purpose.choices}


@dataclass
class ApplicationDraft:
    """A filled-in form, before the service checks it."""

    enterprise: Enterprise | None
    lab: Lab | None
    goods_description: str
    hs_code: str
    declaration_number: str
    purpose: str
    product_category: ProductCategory | None
    requires_accreditation: bool
    test_item_ids: list[int] = field(default_factory=list)
    samples: list[SampleInput] = field(default_factory=list)

    def register_arguments(self) -> dict:
        """Keyword arguments of intake.services.application_register."""
        if self.enterprise is None:
            raise ApplicationError(_("Choose the applicant enterprise."), field="enterprise")
        if self.lab is None:
            raise ApplicationError(_("Choose the lab."), field="lab")
        return {"enterprise": self.enterprise, "lab": self.lab,
                "goods_description": self.goods_description, "hs_code": self.hs_code,
                "declaration_number": self.declaration_number, "purpose": self.purpose,
                "product_category": self.product_category,
                "requires_accreditation": self.requires_accreditation,
                "test_item_ids": self.test_item_ids, "samples": self.samples}


def _sample_rows(post: QueryDict) -> list[SampleInput]:
    descriptions = post.getlist("sample_description")
    quantities = post.getlist("sample_quantity")
    quantities += [""] * (len(descriptions) - len(quantities))
    return [SampleInput(description=d, quantity=q)
            for d, q in zip(descriptions, quantities, strict=False) if d.strip() or q.strip()]


def draft_from_post(user, post: QueryDict) -> ApplicationDraft:
    enterprise = applicant_choices(user).filter(pk=optional_int(post.get("enterprise"))).first()
    return ApplicationDraft(
        enterprise=enterprise,
        lab=Lab.objects.filter(pk=optional_int(post.get("lab"))).first(),
        goods_description=post.get("goods_description", ""),
        hs_code=post.get("hs_code", "").strip().replace(".", ""),
        declaration_number=post.get("declaration_number", "").strip(),
        purpose=post.get("purpose", ""),
        product_category=ProductCategory.objects.filter(
            pk=optional_int(post.get("product_category"))).first(),
        requires_accreditation=post.get("requires_accreditation") == "on",
        test_item_ids=list(dict.fromkeys(
            int(i) for i in post.getlist("test_items") if i.isdigit())),
        samples=_sample_rows(post),
    )
