"""Brand: a CX lead sets the company name, logo and two colours once; the HTML,
PDF source and PPTX of every deck built afterwards use them."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pptx import Presentation

from deck.exporters.pdf import print_html
from deck.models import Brand, Deck
from deck.services import deck_render
from deck.slides import slides_build
from deck.snapshot import snapshot_collect
from tests.deck.factories import deck_world, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def tiny_png() -> bytes:
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def _post(client, **fields):
    body = {
        "company_name": "Acme Telecom",
        "primary_colour": "#123456",
        "accent_colour": "#ABCDEF",
        **fields,
    }
    return client.post("/decks/brand/", body)


def test_a_cx_lead_sets_the_brand_and_the_deck_carries_it(client, cx_lead):
    client.force_login(cx_lead)
    logo = SimpleUploadedFile("logo.png", tiny_png(), content_type="image/png")
    assert _post(client, logo=logo).status_code == 302
    brand = Brand.objects.get()
    assert brand.company_name == "Acme Telecom" and bytes(brand.logo) == tiny_png()
    deck_world()
    data = snapshot_collect()
    assert data["brand"]["primary"] == "#123456"
    files, errors = deck_render(
        data=data, formats=["html", "pptx"], meta={"version": 1, "built_at": "now"}
    )
    html = files["html"].decode()
    assert "--accent: #123456" in html and "--accent-2: #ABCDEF" in html
    assert 'data-testid="brand"' in html and "data:image/png;base64," in html
    assert "Acme Telecom · v1" in html
    prs = Presentation(io.BytesIO(files["pptx"]))
    first = prs.slides[0]
    assert any(shape.shape_type == 13 for shape in first.shapes)  # the logo
    run = first.shapes.title.text_frame.paragraphs[0].runs[0]
    assert str(run.font.color.rgb) == "123456"
    document = print_html(
        slides_build(data),
        [[] for _ in slides_build(data)],
        meta={"version": 1},
        title="t",
        brand=data["brand"],
    )
    assert "color: #123456" in document and "Acme Telecom" in document


def test_an_old_version_keeps_its_brand(client, cx_lead):
    client.force_login(cx_lead)
    _post(client)
    deck_world()
    Deck.objects.create(version=1, data=snapshot_collect())
    _post(client, company_name="New name", primary_colour="#000000")
    assert Deck.objects.get().data["brand"]["company"] == "Acme Telecom"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"primary_colour": "red"}, "primary_colour"),
        ({"accent_colour": "#12345"}, "accent_colour"),
        (
            {
                "logo": SimpleUploadedFile(
                    "x.svg", b"<svg onload='alert(1)'/>", content_type="image/svg+xml"
                )
            },
            "logo",
        ),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(client, cx_lead, fields, field):
    client.force_login(cx_lead)
    answer = _post(client, **fields)
    assert answer.status_code == 400
    assert field in answer.context["form"].errors
    assert not Brand.objects.exists()


def test_only_cx_leads_set_it(client, executive, advisor):
    for user in (executive, advisor):
        client.force_login(user)
        assert _post(client).status_code == 403
    assert not Brand.objects.exists()
