"""Loaded by pytest before Django's settings (pyproject: addopts -p config.pytest_plugin).

The suite's test client and live server speak plain HTTP, as a developer's machine does; the
production HTTPS settings (redirect, secure cookies, HSTS) are checked by `check --deploy` in
portlab/core/tests/test_deploy_settings.py instead.
"""

import os

os.environ.setdefault("PORTLAB_HTTPS", "0")
