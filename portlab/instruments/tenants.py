"""Where instruments and bookings belong, for the route gate (portlab.accounts.routes)."""

from portlab.accounts.access import Tenant
from portlab.accounts.routes import tenant_lookup
from portlab.files.models import RawFile
from portlab.instruments.models import Booking, ImportRow, Instrument, ResultFile
from portlab.network.models import Lab
from portlab.testing.models import Result


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


@tenant_lookup("result_file")
def result_file_by_id(kwargs: dict) -> Tenant | None:
    row = ResultFile.objects.select_related("instrument__lab").filter(
        pk=kwargs["file_id"]).first()
    return Tenant(labs=(row.instrument.lab,)) if row else None


@tenant_lookup("import_row")
def import_row_by_id(kwargs: dict) -> Tenant | None:
    row = ImportRow.objects.select_related("result_file__instrument__lab").filter(
        pk=kwargs["row_id"]).first()
    return Tenant(labs=(row.result_file.instrument.lab,)) if row else None


@tenant_lookup("rawfile")
def rawfile_by_hash(kwargs: dict) -> Tenant | None:
    """The labs whose results or imports the stored file belongs to: those who may see one of
    them may download it (a file of no result or import is nobody's)."""
    raw = RawFile.objects.filter(sha256=kwargs["sha256"]).first()
    if raw is None:
        return None
    lab_ids = set(Result.objects.filter(raw_file=raw).values_list("test__lab_id", flat=True))
    for field in ("raw_file", "asm_file"):
        lab_ids |= set(ResultFile.objects.filter(**{field: raw}).values_list(
            "instrument__lab_id", flat=True))
    labs = tuple(Lab.objects.filter(pk__in=lab_ids))
    return Tenant(labs=labs) if labs else None
