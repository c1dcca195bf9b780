"""The test suite's entry point (`-p jmappa.pytest_plugin` in pyproject.toml).

Loaded before pytest-django sets Django up, so that with no DATABASE_URL and
REDIS_URL the tests run on the embedded servers, started here as `manage.py`
starts them.
"""

from jmappa import embedded

embedded.activate()
