"""WSGI entry point (gunicorn cxplan.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxplan.settings")

application = get_wsgi_application()
