"""What may be uploaded: PDF, Word, OpenDocument text, images and plain text, up to a size,
each checked by what the file holds, not only by its name; where a stored file goes, and how
it is sent back."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from PIL import Image, UnidentifiedImageError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

NOT_ALLOWED = ("The file must be a PDF, a Word document (.doc or .docx), an OpenDocument text "
               "(.odt), an image (JPEG, PNG, GIF or WebP) or a plain text file (.txt).")
EMPTY = "The file is empty: choose the document again."


def max_bytes() -> int:
    return getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def too_large_message() -> str:
    return f"The file must be smaller than {max_bytes() // (1024 * 1024)} MB."


def _pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _doc(data: bytes) -> bool:
    return data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _zip_holding(data: bytes, check) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return check(archive)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError):
        return False


def _docx(data: bytes) -> bool:
    return _zip_holding(data, lambda archive: "word/document.xml" in archive.namelist())


def _odt(data: bytes) -> bool:
    return _zip_holding(data, lambda archive: archive.read("mimetype").strip()
                        == b"application/vnd.oasis.opendocument.text")


def _image(kind: str):
    def check(data: bytes) -> bool:
        try:
            with Image.open(io.BytesIO(data)) as probe:
                return probe.format == kind
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            return False
    return check


def _text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Each allowed ending: the type the file is sent back as, and the check of its content.
ALLOWED = {
    ".pdf": ("application/pdf", _pdf),
    ".doc": ("application/msword", _doc),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              _docx),
    ".odt": ("application/vnd.oasis.opendocument.text", _odt),
    ".jpg": ("image/jpeg", _image("JPEG")),
    ".jpeg": ("image/jpeg", _image("JPEG")),
    ".png": ("image/png", _image("PNG")),
    ".gif": ("image/gif", _image("GIF")),
    ".webp": ("image/webp", _image("WEBP")),
    ".txt": ("text/plain", _text),
}

ACCEPT = ",".join(ALLOWED)


def check_upload(upload) -> str:
    """The content type of an allowed upload; else a ValidationError in the user's words."""
    limit = max_bytes()
    if getattr(upload, "size", 0) > limit:
        raise ValidationError(too_large_message(), code="too_large")
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(too_large_message(), code="too_large")
    if not data:
        raise ValidationError(EMPTY, code="empty")
    ending = PurePath(getattr(upload, "name", "") or "").suffix.lower()
    allowed = ALLOWED.get(ending)
    if allowed is None or not allowed[1](data):
        raise ValidationError(NOT_ALLOWED, code="not_allowed")
    return allowed[0]


def private_name(folder: str, filename: str) -> str:
    """Where a stored file goes: under `folder`, a random name that says nothing of the file
    or its case, with its type's ending."""
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def private_file_response(handle, *, filename: str, content_type: str) -> FileResponse:
    """A stored file sent as an attachment that neither a shared cache nor the browser keeps,
    and that the browser may not read as another type."""
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            content_type=content_type)
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
