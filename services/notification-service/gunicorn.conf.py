from kinerja_shared.gunicorn_config import *  # noqa: F401,F403
from kinerja_shared.gunicorn_config import default_bind

bind = default_bind(8004)
