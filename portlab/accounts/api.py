from django.http import HttpRequest
from ninja import Router, Schema, Status

from portlab.accounts import services
from portlab.accounts.access import role_assignments
from portlab.accounts.models import Enterprise
from portlab.accounts.signatures import Credential

router = Router()


class SignatureIn(Schema):
    """A step that is an electronic signature: the password, or a code from the person's
    authenticator app, re-entered with the request."""

    password: str = ""
    totp: str = ""

    def credential(self) -> Credential:
        return Credential(password=self.password, totp=self.totp)


class EnterpriseIn(Schema):
    credit_code: str
    name_zh: str
    name_en: str = ""
    customs_code: str = ""
    credit_grade: str = Enterprise.CreditGrade.GENERAL
    contact_name: str = ""
    contact_email: str = ""


class EnterpriseOut(Schema):
    id: int
    credit_code: str
    name: str
    customs_code: str
    credit_grade: str


class RoleOut(Schema):
    role: str
    lab: int | None
    district: int | None
    enterprise: int | None


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[RoleOut]


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    roles = [RoleOut(role=a.role, lab=a.lab_id, district=a.district_id,
                     enterprise=a.enterprise_id) for a in role_assignments(request.user)]
    return MeOut(username=request.user.username, display_name=request.user.display_name,
                 roles=roles)


@router.post("/enterprises", response={201: EnterpriseOut})
def enterprise_create(request: HttpRequest, payload: EnterpriseIn):
    enterprise = services.enterprise_create(actor=request.user, **payload.dict())
    return Status(201, EnterpriseOut(id=enterprise.id, credit_code=enterprise.credit_code,
                                     name=enterprise.name, customs_code=enterprise.customs_code,
                                     credit_grade=enterprise.credit_grade))
