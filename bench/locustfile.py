"""The mixed workload of the load test (run by bench/bench_load.py, which seeds the database,
starts the server and the worker, and writes the fixture this file reads from LOAD_FIXTURE).

Five kinds of users, each over the JSON API with its own bearer token (no CSRF, no login page):
enterprises filing and tracking applications, analysts entering results on their own assigned
tests, one reviewer accepting what the analysts resulted, the public verifying issued reports,
and instrument agents sending heartbeats. Each analyst and each agent works on its own share of
the data, so no two users race for one record: every non-2xx answer counts as an error.
A sixth, fixed share of users asks the trivial ping (no authentication, no database): the
same-run baseline the workload's latencies are read against."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import time
from collections import deque

from locust import HttpUser, between, task

FIXTURE = json.loads(open(os.environ["LOAD_FIXTURE"], encoding="utf-8").read())
SEQUENCE = itertools.count(time.time_ns() // 1000)
BASELINE = "GET /instruments/ping (baseline)"
SLOTS = {"analyst": itertools.count(), "instrument": itertools.count()}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


class Enterprise(HttpUser):
    """Files an application now and then, and tracks its applications far more often."""

    weight = 4
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.me = FIXTURE["enterprise"]
        self.headers = _bearer(self.me["token"])
        self.numbers = list(self.me["applications"])

    @task(1)
    def file_application(self) -> None:
        body = {"enterprise": self.me["credit_code"], "lab": self.me["lab"],
                "goods_description": "泰国茉莉香米 (load test)", "hs_code": "1006302000",
                "purpose": "import", "test_items": [self.me["test_item"]],
                "product_category": self.me["product_category"],
                "samples": [{"description": "大米 2 kg"}]}
        with self.client.post("/api/v1/applications", json=body, headers=self.headers,
                              name="POST /applications (file)", catch_response=True) as answer:
            if answer.status_code == 201:  # created
                self.numbers.append(answer.json()["number"])
                answer.success()
            else:
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")

    @task(4)
    def track_one(self) -> None:
        self.client.get(f"/api/v1/applications/{random.choice(self.numbers)}",
                        headers=self.headers, name="GET /applications/{number} (track)")

    @task(1)
    def list_mine(self) -> None:
        self.client.get("/api/v1/applications?limit=20", headers=self.headers,
                        name="GET /applications (list)")


class Analyst(HttpUser):
    """Opens the worklist and enters a result on one of its own assigned tests."""

    fixed_count = len(FIXTURE["analysts"])
    wait_time = between(1, 2)

    def on_start(self) -> None:
        me = FIXTURE["analysts"][next(SLOTS["analyst"]) % len(FIXTURE["analysts"])]
        self.headers = _bearer(me["token"])
        self.tests = deque(me["tests"])

    @task(1)
    def worklist(self) -> None:
        self.client.get("/api/v1/tests?status=assigned&mine=true&limit=50",
                        headers=self.headers, name="GET /tests (analyst worklist)")

    @task(2)
    def enter_result(self) -> None:
        if not self.tests:
            return
        test_id, version = self.tests.popleft()
        body = {"kind": "numeric", "value": f"{random.uniform(0.02, 0.09):.3f}",
                "uncertainty": "0.006", "version": version}
        self.client.post(f"/api/v1/tests/{test_id}/result", json=body, headers=self.headers,
                         name="POST /tests/{id}/result")


class Reviewer(HttpUser):
    """Reviews what the analysts resulted, one test at a time, signing with the password."""

    fixed_count = 1
    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.me = FIXTURE["reviewer"]
        self.headers = _bearer(self.me["token"])

    @task
    def review_next(self) -> None:
        answer = self.client.get("/api/v1/tests?status=resulted&limit=5", headers=self.headers,
                                 name="GET /tests (review queue)")
        if answer.status_code != 200 or not answer.json():
            return
        test = answer.json()[0]
        body = {"decision": "accept", "version": test["version"],
                "password": self.me["password"]}
        self.client.post(f"/api/v1/tests/{test['id']}/review", json=body, headers=self.headers,
                         name="POST /tests/{id}/review")


class Public(HttpUser):
    """Someone holding a report checks it by its number and verification code."""

    weight = 2
    wait_time = between(1, 3)

    @task
    def verify(self) -> None:
        report = random.choice(FIXTURE["reports"])
        with self.client.post("/api/v1/verify", json=report, name="POST /verify",
                              catch_response=True) as answer:
            if answer.status_code == 200 and answer.json()["outcome"] == "genuine":
                answer.success()
            else:
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")


class InstrumentAgent(HttpUser):
    """An instrument's agent: one heartbeat every few seconds, its sequence always rising."""

    weight = 4
    wait_time = between(2, 4)

    def on_start(self) -> None:
        tokens = FIXTURE["instruments"]
        self.headers = _bearer(tokens[next(SLOTS["instrument"]) % len(tokens)])

    @task
    def heartbeat(self) -> None:
        body = {"sequence": next(SEQUENCE), "state": "running",
                "sent_at": dt.datetime.now(dt.UTC).isoformat(), "counters": {"injections": 1}}
        self.client.post("/api/v1/instruments/agent/heartbeat", json=body, headers=self.headers,
                         name="POST /instruments/agent/heartbeat")


class Baseline(HttpUser):
    """The trivial endpoint, timed in the same run under the same load: what any request costs
    on this server before it does any work."""

    fixed_count = 2
    wait_time = between(1, 2)

    @task
    def ping(self) -> None:
        self.client.get("/api/v1/instruments/ping", name=BASELINE)
