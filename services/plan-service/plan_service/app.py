"""The WSGI entry point: ``gunicorn 'plan_service.app:create_app()'``."""

from kinerja_shared.web.app_factory import create_service_app

from .service import SPEC


def create_app(settings=None, engine=None):
    return create_service_app(SPEC, settings, engine)
