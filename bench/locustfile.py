"""The real mix for `manage.py bench_load` (locust, headless): practitioners on the case list
and search, case pages, My actions with progress and meetings; a minute-taker saving the
draft minutes through the API; a partner agency polling the API.

Who signs in as whom, and which cases and meetings each may open, comes from the JSON file
named by JMAPPA_LOAD_CONFIG, written by the command. Sessions are sent as a Cookie header
(the session cookie is Secure and the benchmark speaks plain HTTP to gunicorn)."""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

CONFIG = json.loads(open(os.environ["JMAPPA_LOAD_CONFIG"]).read())
_people = itertools.cycle(CONFIG["practitioners"])


class Practitioner(HttpUser):
    weight = 10
    wait_time = between(1, 3)

    def on_start(self):
        self.me = next(_people)
        self.client.headers["Cookie"] = f"sessionid={self.me['session']}"

    def _get(self, url, name):
        with self.client.get(url, name=name, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(3)
    def case_list(self):
        self._get("/cases/", "case list")

    @task(2)
    def search(self):
        self._get(f"/cases/?q={random.choice(self.me['terms'])}", "case search")

    @task(3)
    def case_page(self):
        self._get(f"/cases/{random.choice(self.me['cases'])}/", "case page")

    @task(2)
    def my_actions(self):
        self._get("/actions/", "my actions")

    @task(1)
    def meetings(self):
        self._get("/meetings/", "meetings")
        if self.me["meetings"]:
            self._get(f"/meetings/{random.choice(self.me['meetings'])}/", "meeting page")


class MinuteTaker(HttpUser):
    fixed_count = 1
    wait_time = between(2, 4)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {CONFIG['minutes']['token']}"
        self.url = f"/api/v1/meetings/{CONFIG['minutes']['meeting']}/minutes/"

    @task
    def save_minutes(self):
        read = self.client.get(self.url, name="minutes read (API)")
        version = read.json()["version"]
        self.client.patch(self.url, name="minutes save (API)", json={
            "version": version, "who_is_at_risk": f"Discussed again ({random.randint(1, 10**6)})."})


class Partner(HttpUser):
    fixed_count = 1
    wait_time = between(1, 2)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {CONFIG['partner']['token']}"

    @task(2)
    def offenders(self):
        self.client.get("/api/v1/offenders/", name="partner API: offenders")

    @task(1)
    def alerts(self):
        self.client.get("/api/v1/alerts/", name="partner API: alerts")
