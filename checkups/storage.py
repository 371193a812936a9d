"""Where checkup report scans are kept: ``checkups/`` in PRIVATE_FILES_ROOT (by default
var/private), never under MEDIA_ROOT (which a web server may publish). The files are
served only by ``reports.app_downloads.checkup_report_file``, after the scope check, and
each download is written to the export log."""

from __future__ import annotations

import os
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file system storage without a public address. Its directory,
    ``PRIVATE_FILES_ROOT``, is read from the settings each time, so that a test can point
    it elsewhere; the names it is given (``report_path``) all begin with ``checkups/``,
    the app's subfolder there, as they always have."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public address; they are served by a view.")


private_storage = PrivateStorage()


def report_path(checkup, filename: str) -> str:
    # A random name: the original one may carry the cadre's name; the record keeps it
    # for display and download.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"checkups/{timezone.localdate():%Y}/{uuid.uuid4().hex}{suffix}"
