"""The brand every deck carries: read it, change it (CX leads), and the
JSON-ready part a deck's snapshot stores (so an old version keeps its look)."""

from __future__ import annotations

import base64
import re

from django.core.exceptions import ValidationError
from django.db import transaction

from cxplan.core.audit import audit_record
from deck.models import Brand

LOGO_MAX_BYTES = 512 * 1024
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
# The first bytes of the only logo formats taken: an SVG could carry script.
MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def brand_get() -> Brand:
    brand = Brand.objects.order_by("pk").first()
    return brand if brand is not None else Brand(pk=1)


def logo_type(data: bytes) -> str:
    """The logo's MIME type; ValidationError for anything but PNG or JPEG."""
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    raise ValidationError({"logo": "The logo must be a PNG or JPEG image."})


def brand_set(
    *,
    actor,
    company_name: str,
    primary_colour: str,
    accent_colour: str,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> Brand:
    """Store the brand (one row); ValidationError names the field at fault."""
    errors = {}
    for field, value in (
        ("primary_colour", primary_colour),
        ("accent_colour", accent_colour),
    ):
        if not HEX.match(value or ""):
            errors[field] = "A colour as #RRGGBB, e.g. #0072B2."
    if logo is not None and len(logo) > LOGO_MAX_BYTES:
        errors["logo"] = f"The logo may be at most {LOGO_MAX_BYTES // 1024} KB."
    if errors:
        raise ValidationError(errors)
    kind = logo_type(logo) if logo is not None else ""
    with transaction.atomic():
        brand = brand_get()
        brand.company_name = (company_name or "").strip()[:120]
        brand.primary_colour = primary_colour.upper()
        brand.accent_colour = accent_colour.upper()
        if logo is not None:
            brand.logo, brand.logo_type = logo, kind
        elif remove_logo:
            brand.logo, brand.logo_type = None, ""
        brand.updated_by = actor
        brand.save()
        audit_record(
            actor=actor,
            action="brand.set",
            objects=brand,
            changes={"company_name": brand.company_name, "logo": bool(brand.logo)},
        )
    return brand


def brand_part() -> dict:
    """The brand as a deck snapshot stores it: {"company", "primary", "accent",
    "logo" (a data: URI or "")}."""
    brand = brand_get()
    logo = ""
    if brand.logo:
        encoded = base64.b64encode(bytes(brand.logo)).decode()
        logo = f"data:{brand.logo_type};base64,{encoded}"
    return {
        "company": brand.company_name,
        "primary": brand.primary_colour,
        "accent": brand.accent_colour,
        "logo": logo,
    }
