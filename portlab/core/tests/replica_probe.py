"""Run by test_replica.py in a process of its own, whose DATABASE_URL and DATABASE_REPLICA_URL
name a primary and its streaming replica (Django reads its databases once, at start).

    python replica_probe.py seed           a lab, a user and the capability "Lead"
    python replica_probe.py add NAME       one more capability, written to the primary
    python replica_probe.py read           the capability list page, as the user would see it

Each step prints one line of JSON.
"""

import json
import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from portlab.accounts.models import User  # noqa: E402
from portlab.core.replica import ReplicaRouter  # noqa: E402
from portlab.network.models import Capability, District, Lab, Method, Standard, TestItem  # noqa: E402


def capability_add(name: str) -> None:
    lab = Lab.objects.get(code="TJ-TC")
    standard = Standard.objects.create(code=f"GB {name}", name_zh=name)
    method = Method.objects.create(code=f"GB {name} ICP-MS", standard=standard,
                                   technique="ICP-MS")
    item = TestItem.objects.create(code=name[:8].upper(), name_zh=name, name_en=name,
                                   unit="mg/kg")
    Capability.objects.create(lab=lab, test_item=item, method=method, unit="mg/kg",
                              price=Decimal("120"), turnaround_days=5,
                              daily_capacity=50)


def seed() -> dict:
    district = District.objects.create(code="0200", name_zh="天津海关", city="天津")
    Lab.objects.create(code="TJ-TC", district=district, name_zh="天津海关技术中心", city="天津")
    User.objects.create_user(username="viewer", password="viewer-password-1")
    capability_add("Lead")
    return {"seeded": True}


def read() -> dict:
    setup_test_environment()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(username="viewer"))
    # Log queries without connecting first (CaptureQueriesContext would connect, and fail
    # on a replica that is down).
    for alias in ("default", "replica"):
        connections[alias].force_debug_cursor = True
        connections[alias].queries_log.clear()
    response = client.get("/network/capabilities/")
    page = response.content.decode()
    return {"status": response.status_code, "lead": "Lead" in page,
            "cadmium": "Cadmium" in page,
            "replica_queries": len(connections["replica"].queries_log),
            "primary_capability_queries": sum(
                "network_capability" in query["sql"]
                for query in connections["default"].queries_log),
            "write_to": ReplicaRouter().db_for_write(Capability)}


if __name__ == "__main__":
    step = sys.argv[1]
    if step == "seed":
        print(json.dumps(seed()))
    elif step == "add":
        capability_add(sys.argv[2])
        print(json.dumps({"added": sys.argv[2]}))
    else:
        print(json.dumps(read()))
