"""Importing an instrument's result file: every row accounted for, once per content.

The file is stored in the file store first (raw data is kept even when it is refused), then
its rows are staged in chunks, each committed on its own and skipped when already there (a
crash resumes where it stopped), then published in one short step. A staged row is matched
to its test and waits for the analyst's confirmation, or is held with its reason.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.files.services import rawfile_store
from portlab.instruments import parsers
from portlab.instruments.models import ImportRow, Instrument, ResultFile
from portlab.instruments.services.agent import AgentActor, agent_actor
from portlab.instruments.services.import_matching import RowMatcher
from portlab.instruments.services.registry import require_lab_staff

CHUNK = 5000
ProgressCallback = Callable[..., None]


@dataclass
class ImportOutcome:
    result_file: ResultFile
    duplicate: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def result_file_import(*, actor: User | AgentActor, instrument: Instrument, filename: str,
                       content: bytes) -> ImportOutcome:
    """Receive, stage and publish a file in this request (small files and the agent).

    `actor` is a lab user (manager or analyst at the instrument's lab) or the instrument's
    agent. The same content for the same instrument is imported once: sending it again
    retries only its held rows. A file that cannot be read is refused naming the line.
    """
    result_file, duplicate = result_file_receive(actor=actor, instrument=instrument,
                                                 filename=filename, content=content)
    if duplicate:
        held_rows_retry(actor=actor, result_file=result_file)
    else:
        result_file_stage(result_file=result_file, content=content)
        result_file_publish(result_file=result_file)
    return ImportOutcome(result_file=result_file, duplicate=duplicate,
                         counts=import_counts(result_file))


def result_file_receive(*, actor: User | AgentActor, instrument: Instrument, filename: str,
                        content: bytes) -> tuple[ResultFile, bool]:
    """Store the file and its record; (record, True) when this content was imported before."""
    if isinstance(actor, User):  # the agent is vouched for by its instrument's token
        require_lab_staff(actor, instrument, "instrument.files")
    user = actor if isinstance(actor, User) else None
    raw = rawfile_store(content=content, name=filename, actor=user)
    existing = ResultFile.objects.filter(instrument=instrument, sha256=raw.sha256).first()
    if existing is not None and existing.status == ResultFile.Status.IMPORTED:
        return existing, True
    if existing is not None and existing.status == ResultFile.Status.STAGING:
        return existing, False  # an import that stopped half-way: staging resumes
    result_file, _created = ResultFile.objects.update_or_create(
        instrument=instrument, sha256=raw.sha256,
        defaults={"filename": filename[:255], "size": len(content), "error": "",
                  "status": ResultFile.Status.STAGING, "uploaded_at": timezone.now(),
                  "uploaded_by": getattr(actor, "username", "")[:150], "imported_by": user,
                  "raw_file": raw})
    return result_file, False


def result_file_stage(*, result_file: ResultFile, content: bytes,
                      progress: ProgressCallback | None = None) -> None:
    """Stage every row, a chunk per transaction; chunks already staged are skipped."""
    export = _read(result_file, content)
    rows = export.rows
    total = len(rows)
    if export.asm is not None and result_file.asm_file_id is None:
        result_file.asm_file = rawfile_store(
            content=json.dumps(export.asm, sort_keys=True).encode(),
            name=f"{result_file.filename}.asm.json", content_type="application/json")
    result_file.rows_total = total
    result_file.save(update_fields=["rows_total", "asm_file"])
    matcher = RowMatcher(result_file)
    for start in range(0, total, CHUNK):
        _stage_chunk(result_file, matcher, rows[start:start + CHUNK], start)
        if progress is not None:
            progress(min(start + CHUNK, total), total)


@transaction.atomic
def _stage_chunk(result_file: ResultFile, matcher: RowMatcher,
                 rows: list[parsers.ParsedRow], start: int) -> None:
    if ImportRow.objects.filter(result_file=result_file, position=start).exists():
        return  # committed by an earlier attempt, with the whole chunk
    ImportRow.objects.bulk_create(matcher.rows(rows, start), batch_size=1000)
    ResultFile.objects.filter(pk=result_file.pk).update(rows_staged=start + len(rows))


@transaction.atomic
def result_file_publish(*, result_file: ResultFile) -> None:
    """Open the staged rows to the lab: one short write, once."""
    locked = ResultFile.objects.select_for_update().get(pk=result_file.pk)
    if locked.status != ResultFile.Status.STAGING:
        return
    counts = import_counts(locked)
    staged = sum(counts.values())
    if staged != locked.rows_total:
        raise ApplicationError(_("Only %(staged)d of %(total)d rows are staged; import the "
                                 "file again to finish.") % {"staged": staged,
                                                             "total": locked.rows_total},
                               field="file")
    locked.status, locked.results_imported = ResultFile.Status.IMPORTED, 0
    locked.save(update_fields=["status", "results_imported"])
    result_file.status = locked.status
    audit_record(actor=_uploader(locked), action="result_file_import", entity=locked,
                 after={"instrument": locked.instrument.asset_number,
                        "filename": locked.filename, "sha256": locked.sha256,
                        "rows": staged, **counts})


def _uploader(result_file: ResultFile) -> User | AgentActor:
    return result_file.imported_by or agent_actor(result_file.instrument)


def _read(result_file: ResultFile, content: bytes) -> parsers.Export:
    instrument = result_file.instrument
    try:
        return parsers.read(content, instrument.export_format, instrument.column_map,
                            filename=result_file.filename)
    except parsers.ParseError as error:
        message = parse_error_message(error)
        ResultFile.objects.filter(pk=result_file.pk).update(
            status=ResultFile.Status.FAILED, error=message)
        result_file.status, result_file.error = ResultFile.Status.FAILED, message
        raise ApplicationError(message, field="file", extra={"line": error.line}) from error


def parse_error_message(error: parsers.ParseError) -> str:
    reason = _(error.template) % error.params
    if error.line:
        return _("Line %(line)d: %(reason)s.") % {"line": error.line, "reason": reason}
    return _("The file cannot be read: %(reason)s.") % {"reason": reason}


def import_counts(result_file: ResultFile) -> dict[str, int]:
    """Rows per status: matched (awaiting confirmation), held, entered, rejected."""
    counts = {status: 0 for status in ImportRow.Status.values}
    for row in (ImportRow.objects.filter(result_file=result_file).values("status")
                .annotate(n=Count("id"))):
        counts[row["status"]] = row["n"]
    return counts


def held_rows_retry(*, actor: User | AgentActor, result_file: ResultFile) -> int:
    """Match the file's held rows again (a test assigned, a calibration recorded since):
    rows already matched, entered or rejected are left as they are. Returns rows matched."""
    matcher = RowMatcher(result_file)
    held = list(ImportRow.objects.filter(result_file=result_file,
                                         status=ImportRow.Status.HELD).order_by("position"))
    matched = 0
    for start in range(0, len(held), CHUNK):
        matched += _retry_chunk(matcher, held[start:start + CHUNK])
    if matched:
        audit_record(actor=actor, action="result_file_retry", entity=result_file,
                     after={"matched": matched})
    return matched


@transaction.atomic
def _retry_chunk(matcher: RowMatcher, rows: list[ImportRow]) -> int:
    fresh = matcher.rows([parsers.ParsedRow(line=row.line, sample_id=row.sample_code,
                                            analyte=row.analyte, kind=row.kind,
                                            unit=row.unit)
                          for row in rows], 0)
    changed = []
    for row, again in zip(rows, fresh, strict=True):
        if again.status == ImportRow.Status.MATCHED:
            row.status, row.reason, row.test = again.status, "", again.test
            changed.append(row)
        elif again.reason != row.reason:
            row.reason = again.reason
            changed.append(row)
    for row in changed:
        row.version += 1
    ImportRow.objects.bulk_update(changed, ["status", "reason", "test", "version"],
                                  batch_size=1000)
    return sum(1 for row in changed if row.status == ImportRow.Status.MATCHED)
