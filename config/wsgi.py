import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from portlab.core.startup import refuse_demo_key  # noqa: E402  (needs the settings loaded)

refuse_demo_key()

# Instrument agents' addresses skip the layers that serve people (portlab/core/machine_routes.py).
from portlab.core.machine_routes import with_machine_routes  # noqa: E402

application = with_machine_routes(application)
