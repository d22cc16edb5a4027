import os

# Each open notification stream (SSE, GET /api/v1/notifications/stream) holds its connection for up
# to 25 s: with sync workers two open browsers would leave no worker for the inbox or the webhooks API.
os.environ.setdefault("GUNICORN_THREADS", "8")

from kinerja_shared.gunicorn_config import *  # noqa: E402,F401,F403
from kinerja_shared.gunicorn_config import default_bind  # noqa: E402
from kinerja_shared.processes import SERVICES  # noqa: E402

bind = default_bind(SERVICES["notification-service"])
