from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from portlab.accounts import services, verification
from portlab.accounts.access import role_assignments
from portlab.accounts.models import ApiToken, Enterprise
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
    verified_at: datetime | None = None


class VerifyIn(Schema):
    note: str = ""  # what was checked, e.g. the licence's registration authority and date


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


@router.post("/enterprises/{credit_code}/verify", response=EnterpriseOut)
def enterprise_verify(request: HttpRequest, credit_code: str, payload: VerifyIn):
    enterprise = verification.enterprise_verify(
        actor=request.user, enterprise=verification.enterprise_get(credit_code),
        note=payload.note)
    return EnterpriseOut(id=enterprise.id, credit_code=enterprise.credit_code,
                         name=enterprise.name, customs_code=enterprise.customs_code,
                         credit_grade=enterprise.credit_grade, verified_at=enterprise.verified_at)


class TokenIn(Schema):
    name: str
    lifetime_days: int | None = None


class TokenOut(Schema):
    id: int
    name: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    status: str  # active, expired or revoked


class NewTokenOut(TokenOut):
    token: str  # shown this once; only its digest is kept


def token_out(token: ApiToken) -> TokenOut:
    return TokenOut(id=token.id, name=token.name, created_at=token.created_at,
                    expires_at=token.expires_at, revoked_at=token.revoked_at,
                    status=services.api_token_status(token))


@router.get("/tokens", response=list[TokenOut])
def tokens(request: HttpRequest):
    """The caller's own API tokens, newest first."""
    return [token_out(token) for token in services.api_tokens_of(request.user)]


@router.post("/tokens", response={201: NewTokenOut})
def token_create(request: HttpRequest, payload: TokenIn):
    secret = services.api_token_create(user=request.user, name=payload.name,
                                       lifetime_days=payload.lifetime_days)
    created = services.api_tokens_of(request.user).first()
    return Status(201, NewTokenOut(**token_out(created).dict(), token=secret))


@router.post("/tokens/{token_id}/revoke", response=TokenOut)
def token_revoke(request: HttpRequest, token_id: int):
    return token_out(services.api_token_revoke(actor=request.user, token_id=token_id))
