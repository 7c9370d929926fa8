"""WSGI entry point: `gunicorn wsgi:app`. ECOSYSTEM_CONFIG picks the configuration."""

import os

from ecosystem import create_app

app = create_app(os.environ.get("ECOSYSTEM_CONFIG", "production"))
