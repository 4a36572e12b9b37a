"""A photo too large is refused on the phone before it is uploaded (the server checks again)."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_photo_too_large_is_refused_before_it_is_sent(
    open_page, asgi_server, reference_configuration
) -> None:
    phone = open_page(width=390, height=844, mobile=True)
    uploads: list[str] = []
    phone.on(
        "request", lambda request: uploads.append(request.url) if request.method == "POST" else None
    )
    phone.goto(f"{asgi_server.url}/signaler/")
    too_large = b"\xff\xd8\xff" + b"0" * (settings.CITIZENS_PHOTO_MAX_BYTES + 1)
    phone.locator("#id_photos").set_input_files(
        files=[{"name": "grande.jpg", "mimeType": "image/jpeg", "buffer": too_large}]
    )
    check = phone.locator("#photos-check")
    expect(check).to_be_visible()
    expect(check).to_contain_text("grande.jpg")
    expect(phone.locator("#id_photos")).to_have_attribute("aria-invalid", "true")
    assert phone.locator("#id_photos").evaluate("input => input.files.length") == 0
    assert uploads == []


def test_a_photo_within_the_limit_is_kept(open_page, asgi_server, reference_configuration) -> None:
    phone = open_page(width=390, height=844, mobile=True)
    phone.goto(f"{asgi_server.url}/signaler/")
    phone.locator("#id_photos").set_input_files(
        files=[
            {"name": "petite.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff" + b"0" * 100}
        ]
    )
    expect(phone.locator("#photos-check")).to_be_hidden()
    assert phone.locator("#id_photos").evaluate("input => input.files.length") == 1
