"""Issue 20, the installable console: the service worker installs and precaches the shell, the app
opens with no network from its first navigation and logs three activities with photos that arrive
exactly once when the network returns, and a release replaces the old cache on the next open."""

from __future__ import annotations

import gzip
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
import requests

from tests.web.conftest import WEB
from tests.web.test_employee import today

pytestmark = pytest.mark.e2e


def test_the_installed_app_opens_offline_and_its_three_entries_arrive_once(web_system):
    stamp = uuid.uuid4().hex[:8]
    found = web_system.run_script("pwa_offline.mjs", timeout=300, RUN_STAMP=stamp, LOG_HOUR=7)

    nip = web_system.users["employee"]["nip"]
    answer = web_system.api(
        "GET",
        "/api/v1/activities",
        "employee",
        params={"nip": nip, "date_from": today(), "date_to": today(), "limit": 200},
    )
    assert answer.status_code == 200, answer.text
    rows = [a for a in answer.json()["items"] if stamp in a["description"]]
    # Exactly the three rows the phone made, with its ids, each with its photo once; sent in one batch.
    assert sorted(a["id"] for a in rows) == sorted(found["ids"])
    assert sorted(a["quantity"] for a in rows) == [1, 2, 3]
    for row in rows:
        files = [e for e in row["evidence"] if e.get("file_id")]
        assert len(files) == 1 and files[0]["content_type"] == "image/png", row["evidence"]
    assert found["batches"] == 1, found

    worker = requests.get(web_system.url + "/sw.js", timeout=10)
    assert worker.headers["Cache-Control"] == "no-cache" and worker.headers["Service-Worker-Allowed"] == "/"
    print(
        f"service worker: {len(worker.content)} bytes, {len(gzip.compress(worker.content, 6))} gzip; "
        f"{found['shellFiles']} files precached"
    )


def test_a_release_replaces_the_old_cache_on_the_next_open(web_system, tmp_path):
    copy = Path(tempfile.mkdtemp(prefix="kinerja-web-copy-"))
    try:
        shutil.copytree(WEB, copy / "web", ignore=shutil.ignore_patterns("node_modules", "tests"))
        gateway, url = web_system.another_gateway(copy / "web", tmp_path)
        try:
            found = web_system.run_script("pwa_update.mjs", BASE_URL=url, WEB_COPY=copy / "web")
        finally:
            gateway.stop()
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    assert found["before"] != found["after"]
