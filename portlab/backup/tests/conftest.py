# The reports app's fixtures: keys in a temporary directory and a report issued through the
# real services.
from portlab.reports.tests.conftest import approved_application, issued_report, keys_dir  # noqa: F401
