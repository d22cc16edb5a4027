"""The containers' health check: ``python -m kinerja_shared.healthcheck [SERVICE]``.

Asks the web process of SERVICE (default: KINERJA_SERVICE, which the image sets) for /healthz on
127.0.0.1 at PORT, else at the service's port in kinerja_shared.processes.SERVICES, and exits 0 on a
2xx answer, 1 otherwise (a refused connection, a timeout, any other status). Used by the image's
HEALTHCHECK, so no port is written in the Dockerfile; standard library only (no curl in the image).
"""

from __future__ import annotations

import os
import sys
import urllib.request

from .processes import SERVICES


def healthz_url(service: str, environ=os.environ) -> str:
    port = (environ.get("PORT") or "").strip() or str(SERVICES[service])
    return f"http://127.0.0.1:{port}/healthz"


def main(argv: list[str]) -> int:
    service = argv[0] if argv else os.environ.get("KINERJA_SERVICE", "")
    if service not in SERVICES:
        print(f"healthcheck: unknown service {service!r} (one of {', '.join(SERVICES)})", file=sys.stderr)
        return 2
    try:
        with urllib.request.urlopen(healthz_url(service), timeout=4) as answer:
            return 0 if 200 <= answer.status < 300 else 1
    except OSError as exc:  # URLError, HTTPError (non-2xx), timeouts
        print(f"healthcheck: {service}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
