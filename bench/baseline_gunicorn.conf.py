# The baseline runs under exactly the services' gunicorn settings (sync workers, WEB_CONCURRENCY, access log).
from kinerja_shared.gunicorn_config import *  # noqa: F401,F403
from kinerja_shared.gunicorn_config import default_bind

bind = default_bind(8099)
