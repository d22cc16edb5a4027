"""Issue 17 in the web console (headless Chromium against the real services and the development gateway):
"Unduh PDF" on the plan screen gives the SKP, and the public verify page (no sign-in) finds it valid by its
code and confirms the downloaded file is the one issued."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.e2e


def test_the_employee_downloads_the_skp_and_a_visitor_verifies_it(web_system):
    found = web_system.run_script("documents_download_verify.mjs")
    nip = web_system.users["employee"]["nip"]
    assert found["filename"].startswith("skp_") and found["filename"].endswith(".pdf")
    assert (found["status"], found["matches"]) == ("valid", "true"), found
    # the gateway routes the code (P...) to plan-service, without a token
    public = requests.get(f"{web_system.url}/api/v1/documents/verify/{found['code']}", timeout=30).json()
    assert (public["document_type"], public["sha256"], public["status"]) == ("skp", found["sha256"], "valid")
    assert public["nip_masked"].endswith(nip[-4:]) and nip not in found["answer"]
    assert public["employee_name"] in found["answer"] and "Sah" in found["answer"]
