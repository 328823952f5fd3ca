"""Private file storage: uploads live under PRIVATE_MEDIA_ROOT and have no public URL.

Use on a model field as::

    file = models.FileField(storage=private_storage, upload_to=private_upload_path("applications"))

Both are deconstructible, so migrations record ``portal.storage.PrivateStorage()`` and
``portal.storage.PrivateUploadPath("applications")`` rather than a machine-specific path.
"""

import re
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

_EXTENSION = re.compile(r"[a-z0-9]{1,10}")
_PREFIX = re.compile(r"[a-z0-9_-]+(/[a-z0-9_-]+)*")


@deconstructible(path="portal.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at settings.PRIVATE_MEDIA_ROOT; ``url()`` raises (no public URL)."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o640, directory_permissions_mode=0o750)

    @cached_property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @cached_property
    def base_url(self):
        return None

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


private_storage = PrivateStorage()


def stored_extension(filename: str) -> str:
    """The lower-case extension to store under ("jpeg" becomes "jpg"); "bin" when odd or missing."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower().lstrip(".")
    suffix = "jpg" if suffix == "jpeg" else suffix
    return suffix if _EXTENSION.fullmatch(suffix) else "bin"


@deconstructible(path="portal.storage.PrivateUploadPath")
class PrivateUploadPath:
    """``upload_to`` callable: ``<prefix>/<yyyy>/<mm>/<uuid4 hex>.<ext>``; the user's name never reaches disk."""

    def __init__(self, prefix: str):
        prefix = prefix.strip("/")
        if not _PREFIX.fullmatch(prefix):
            raise ValueError(f"Invalid upload prefix: {prefix!r}")
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        today = timezone.localdate()
        return f"{self.prefix}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{stored_extension(filename)}"

    def __eq__(self, other):
        return isinstance(other, PrivateUploadPath) and other.prefix == self.prefix

    def __hash__(self):
        return hash(self.prefix)


def private_upload_path(prefix: str) -> PrivateUploadPath:
    """Return an ``upload_to`` callable storing files as ``<prefix>/<yyyy>/<mm>/<uuid4 hex>.<ext>``."""
    return PrivateUploadPath(prefix)
