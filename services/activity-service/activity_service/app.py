"""The WSGI entry point: ``gunicorn 'activity_service.app:create_app()'``."""
from kinerja_shared.web.app_factory import create_service_app

from .config import install
from .service import SPEC


def create_app(settings=None, engine=None):
    app = create_service_app(SPEC, settings, engine)
    install(app)  # validate ACTIVITY_* settings at start-up: a bad one stops gunicorn with its name
    return app
