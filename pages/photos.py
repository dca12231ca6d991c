"""Clinician photos: decoded, checked and re-encoded before anything is stored.

An uploaded file is never kept or served as sent. Pillow must be able to decode it as a JPEG, PNG
or WebP image within a size limit (checked in the admin form, so a refusal is a form error); the
pixels are then written afresh as a small square WebP under a random name. So what the site serves
is always an image we made, without the uploader's metadata (EXIF location, camera) and never HTML,
SVG or script, and it comes from our own origin (CSP `img-src 'self'`). Files are served only by
`pages.views.clinician_photo`, which accepts nothing but names this module creates.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_DIR = "clinicians"
PHOTO_SIZE = 320  # CSS shows it at 160 px: sharp on 2x screens
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
NAME_PATTERN = re.compile(r"^[0-9a-f]{32}\.webp$")


def photo_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / PHOTO_DIR


def photo_path(name: str) -> Path | None:
    """The stored file for `name`, or None when the name is not one this module made."""
    if not NAME_PATTERN.match(name):
        return None
    return photo_dir() / name


def photo_square(upload) -> Image.Image:
    """Decode an uploaded photo into the small square we store; ValidationError when we cannot.

    Only the JPEG, PNG and WebP decoders ever see the file (Pillow's EPS decoder would run
    Ghostscript on it), and the pixel count is checked from the header, before decoding.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError("The photo is larger than 10 MB. Please choose a smaller file.")
    try:
        upload.seek(0)
        with Image.open(upload, formats=PHOTO_FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    f"The photo is {image.width} x {image.height} pixels, more than we take "
                    f"({MAX_PIXELS // 1_000_000} megapixels). Please choose a smaller one."
                )
            image = ImageOps.exif_transpose(image)
            return ImageOps.fit(image.convert("RGB"), (PHOTO_SIZE, PHOTO_SIZE))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            "This file is not a photo we can read. Please use a JPEG, PNG or WebP file."
        ) from error


def photo_store(upload) -> str:
    """Re-encode an uploaded image as a square WebP; returns the new file's name."""
    square = photo_square(upload)
    name = f"{uuid.uuid4().hex}.webp"
    photo_dir().mkdir(parents=True, exist_ok=True)
    square.save(photo_dir() / name, "WEBP", quality=80, method=6)
    return name


def photo_delete(name: str) -> None:
    path = photo_path(name) if name else None
    if path is not None:
        path.unlink(missing_ok=True)
