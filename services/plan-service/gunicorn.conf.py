from kinerja_shared.gunicorn_config import *  # noqa: F401,F403
from kinerja_shared.gunicorn_config import default_bind
from kinerja_shared.processes import SERVICES

bind = default_bind(SERVICES["plan-service"])
