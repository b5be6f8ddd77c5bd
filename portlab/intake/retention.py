"""How long a sample is kept after its report (留样期限): a pure rule, no Django.

The lab sets a retention period per product category (and a default). A sample with a failed
result is kept at least until the applicant's appeal period has ended: an applicant may apply
for re-inspection (复验) within 15 days of receiving the result (进出口商品复验办法, 国家质检总局令
第 77 号, as amended by 海关总署令第 238 号), and re-inspection needs the retained sample.
"""

from datetime import date, timedelta

APPEAL_DAYS = 15
# Kept when the lab has set no period at all: three months after the report.
DEFAULT_RETENTION_DAYS = 90


def retain_until(*, reported_on: date, retention_days: int, failed: bool) -> date:
    """The last day the sample must be kept; it may be disposed of from the day after."""
    days = max(retention_days, APPEAL_DAYS) if failed else retention_days
    return reported_on + timedelta(days=days)
