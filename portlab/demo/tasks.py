"""`portlab generate` as a job: the synthetic network and its test history, counted as it goes."""

from django.utils.translation import gettext as _

from portlab.demo.generate import generate, generate_refusal
from portlab.jobs.registry import job
from portlab.jobs.services import JobFailed

DEFAULTS = {"labs": 1370, "capabilities": 8427, "tests": 2_000_000, "districts": None,
            "seed": 1, "prefix": "X"}


@job("generate")
def generate_job(run, progress) -> dict:
    """Each chunk of tests commits on its own, so a cancelled or killed run keeps whole chunks;
    a retry refuses the same prefix rather than mixing two networks."""
    options = {**DEFAULTS, **run.params}
    refusal = generate_refusal(**options)
    if refusal:
        raise JobFailed(refusal)
    total = int(options["tests"])
    progress(0, total, _("Generating the network"), force=True)
    summary = generate(**options, progress=lambda made: progress(min(made, total), total))
    return {"labs": summary.labs, "tests": summary.tests}
