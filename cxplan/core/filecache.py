"""A file cache that the web server and the embedded worker share.

Without Redis, the web process and the Celery worker are separate processes:
an in-memory cache would give each its own debounce keys and cache locks (the
worker's task would clear a key the web never sees). Django's file cache is
shared through the folder, but its `add` reads then writes, so two processes
could both "add" the same key. Here `add` holds an exclusive file lock on the
cache folder while it checks and writes, which makes it one step across
processes and threads alike.
"""

import fcntl
import os

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class SharedFileCache(FileBasedCache):
    """Django's file cache with an `add` that is atomic across processes."""

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        self._createdir()
        # A new open file description per call: flock then excludes other
        # threads of this process too, not only other processes.
        with open(os.path.join(self._dir, ".add.lock"), "a") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)
            try:
                return super().add(key, value, timeout, version)
            finally:
                fcntl.flock(guard, fcntl.LOCK_UN)
