"""Uploaded photos: only JPEG, PNG or WebP, checked by opening them, and stored re-encoded.

Re-encoding keeps the picture and drops everything else the file carried: EXIF (the camera,
the place it was taken, the time), comments, ICC and XMP blocks, and anything appended or
hidden in the file. The picture is turned upright first (its EXIF orientation).
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_BYTES = 5 * 1024 * 1024
# A small file can unpack to a huge picture (a "decompression bomb"): refuse it unopened.
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}

NOT_A_PHOTO = "The photo must be a JPEG, PNG or WebP image."
TOO_LARGE = "The photo must be smaller than 5 MB."
TOO_MANY_PIXELS = "The photo is too large a picture: use one under 40 megapixels."


def clean_photo(upload) -> ContentFile:
    """The upload, checked and re-encoded, under a name that says only its type; or a
    ValidationError in the user's words."""
    if getattr(upload, "size", 0) > PHOTO_MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    upload.seek(0)
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in PHOTO_FORMATS:
                raise ValidationError(NOT_A_PHOTO, code="not_a_photo")
            if probe.width * probe.height > PHOTO_MAX_PIXELS:
                raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as error:
        raise ValidationError(NOT_A_PHOTO, code="not_a_photo") from error
    return ContentFile(_encode(picture, kind), name=f"photo{PHOTO_FORMATS[kind]}")


def _encode(picture: Image.Image, kind: str) -> bytes:
    """The pixels alone, in the same format: no EXIF, ICC, XMP or text chunks."""
    if kind == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    elif kind in ("PNG", "WEBP") and picture.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        picture = picture.convert("RGBA")
    # A new image from the raw pixels: nothing of the file's info, EXIF or profile comes.
    clean = Image.frombytes(picture.mode, picture.size, picture.tobytes())
    if picture.mode == "P":
        clean.putpalette(picture.getpalette())
    out = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "PNG": {"optimize": True}, "WEBP": {"quality": 90}}
    clean.save(out, kind, **options[kind])
    return out.getvalue()
