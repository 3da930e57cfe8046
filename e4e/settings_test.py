"""Settings for the test suite: the production settings with a test key, over plain HTTP.

DEBUG stays off so tests see what production does. DATABASE_URL and REDIS_URL are taken
from the environment as usual (CI points them at PostgreSQL and Redis).
"""

from __future__ import annotations

import os

os.environ["DEBUG"] = "false"
os.environ["E4E_ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("E4E_PSEUDONYM_KEY", "test-only-pseudonym-key")
os.environ["E4E_SSL_REDIRECT"] = "false"
os.environ["E4E_SECURE_COOKIES"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from e4e import settings as _production

globals().update({name: value for name, value in vars(_production).items() if name.isupper()})
