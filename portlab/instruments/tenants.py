"""Where instruments and bookings belong, for the route gate (portlab.accounts.routes)."""

from portlab.accounts.access import Tenant
from portlab.accounts.routes import tenant_lookup
from portlab.instruments.models import Booking, Instrument


@tenant_lookup("instrument")
def instrument_by_asset_number(kwargs: dict) -> Tenant | None:
    row = Instrument.objects.select_related("lab").filter(
        asset_number=kwargs["asset_number"]).first()
    return Tenant(labs=(row.lab,)) if row else None


@tenant_lookup("audit:instrument")
def audited_instrument(kwargs: dict) -> Tenant | None:
    row = Instrument.objects.select_related("lab").filter(pk=kwargs["pk"]).first()
    return Tenant(labs=(row.lab,)) if row else None


@tenant_lookup("booking")
def booking_by_id(kwargs: dict) -> Tenant | None:
    row = Booking.objects.select_related("instrument__lab").filter(
        pk=kwargs["booking_id"]).first()
    return Tenant(labs=(row.instrument.lab,)) if row else None
