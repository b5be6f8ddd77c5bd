"""Reads of custody inside a lab: labels scanned, locations, the disposal list, a sample's
timeline."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from portlab.accounts.access import visible_lab_filter
from portlab.core.errors import NotFound
from portlab.intake.models import Aliquot, Disposal, Sample, SampleMove, StorageLocation
from portlab.network.models import Lab


def samples_past_retention(lab: Lab, today: date) -> QuerySet[Sample]:
    """Samples of the lab whose retention ended before `today` and that are not yet disposed
    of (a proposed disposal still waiting for approval counts as not disposed): for the
    disposal list and the daily alert job."""
    return (Sample.objects.filter(application__lab=lab, retain_until__lt=today)
            .exclude(disposal__approved_at__isnull=False)
            .select_related("application", "location", "disposal__proposed_by")
            .order_by("retain_until", "number"))


def labels_visible(user, action: str) -> Q:
    return visible_lab_filter(user, "application__", action)


def custody_item_by_label(user, code: str) -> tuple[Sample, Aliquot | None]:
    """The sample (or aliquot) whose label was scanned, among the lab's where the user may move
    samples; another lab's answers "not found" like an unknown code."""
    text = code.strip()
    samples = Sample.objects.select_related("application__lab").filter(
        labels_visible(user, "custody.move"))
    sample = samples.filter(Q(number=text.upper()) | Q(barcode=text)).first()
    if sample is not None:
        return sample, None
    aliquot = (Aliquot.objects.select_related("sample__application__lab")
               .filter(number=text.upper(), sample__in=samples).first())
    if aliquot is None:
        raise NotFound(_("No sample of your lab has the label “%s”.") % text, field="scan")
    return aliquot.sample, aliquot


def locations_visible_to(user, action: str = "custody.view") -> QuerySet[StorageLocation]:
    return (StorageLocation.objects.select_related("lab", "within")
            .filter(visible_lab_filter(user, "", action)).order_by("lab__code", "code"))


def location_by_code(user, code: str) -> StorageLocation:
    """A location scanned by its code. Another lab's location is found (so the error can say
    so); the move service refuses it."""
    location = (StorageLocation.objects.select_related("lab")
                .filter(code=code.strip().upper()).first())
    if location is None:
        raise NotFound(_("No storage location has the code “%s”.") % code.strip(),
                       field="location")
    return location


def recent_moves(user, limit: int = 20) -> QuerySet[SampleMove]:
    return (SampleMove.objects.filter(visible_lab_filter(user, "sample__application__"))
            .select_related("sample", "aliquot", "to_location", "to_holder", "moved_by",
                            "from_location", "from_holder")
            .order_by("-moved_at", "-id")[:limit])


@dataclass(frozen=True)
class Event:
    at: datetime | date
    what: str
    who: str = ""
    detail: str = ""


def _place(location, holder) -> str:
    if location is not None:
        return f"{location.name} ({location.code})"
    return holder.display_name if holder is not None else _("Reception")


def _move_events(sample: Sample) -> list[Event]:
    events = []
    for move in sample.moves.select_related("aliquot", "from_location", "from_holder",
                                            "to_location", "to_holder", "moved_by"):
        what = _("Handed over") if move.to_holder_id else _("Moved")
        if move.aliquot is not None:
            what = _("%(what)s: aliquot %(number)s") % {"what": what,
                                                       "number": move.aliquot.number}
        events.append(Event(move.moved_at, what, move.moved_by.display_name,
                            _("from %(origin)s to %(destination)s") % {
                                "origin": _place(move.from_location, move.from_holder),
                                "destination": _place(move.to_location, move.to_holder)}))
    return events


def sample_timeline(sample: Sample) -> list[Event]:
    """Everything that happened to the sample in the lab, oldest first."""
    events = []
    if sample.received_at and sample.received_by:
        condition = sample.get_condition_display() if sample.condition else ""
        events.append(Event(sample.received_at, _("Received"), sample.received_by.display_name,
                            " · ".join(filter(None, [condition, sample.condition_note]))))
    events += _move_events(sample)
    for aliquot in sample.aliquots.select_related("created_by"):
        events.append(Event(aliquot.created_at, _("Aliquot %s taken") % aliquot.number,
                            aliquot.created_by.display_name,
                            " · ".join(filter(None, [aliquot.quantity, aliquot.purpose]))))
    disposal = Disposal.objects.filter(sample=sample).select_related(
        "proposed_by", "approved_by").first()
    if disposal is not None:
        events.append(Event(disposal.proposed_at, _("Disposal proposed"),
                            disposal.proposed_by.display_name, disposal.get_method_display()))
        if disposal.approved_at and disposal.approved_by:
            events.append(Event(disposal.approved_at, _("Disposed of (approved)"),
                                disposal.approved_by.display_name,
                                disposal.get_method_display()))
    return sorted(events, key=lambda event: event.at)
