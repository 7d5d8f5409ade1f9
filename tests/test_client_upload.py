"""The chunked-upload protocol over real HTTP: the rules the real server enforces."""

import time

import httpx
import pytest

from helpers import md5, pdf_bytes, png_bytes
from mediatui.api import BadRequest, Gone, InvalidInput, MediaClient, MediaType, NotFound, OffsetMismatch

CHUNK = 204800


def send_all(client, data, *, field="image", name="photo.png", chunk=CHUNK):
    status = None
    for start in range(0, len(data), chunk):
        status = client.upload_chunk(
            data[start : start + chunk],
            start=start,
            total=len(data),
            filename=name,
            upload_id=status.upload_id if status else None,
            field=field,
        )
        assert status.offset == min(len(data), start + chunk)
    return status


def test_chunked_image_upload_round_trip(client):
    data = png_bytes(500_000)
    status = send_all(client, data, name="holiday photo.png")
    assert status.expires is not None
    media = client.complete_upload(status.upload_id, md5(data))
    assert media.type is MediaType.IMAGE and media.title == "holiday photo.png"
    assert media.image_width and media.image_height
    stored = httpx.get(media.image).content
    assert md5(stored) == md5(data)


def test_pdf_document_and_eimage_types(client):
    doc = pdf_bytes(300_000)
    status = send_all(client, doc, field="document", name="minutes.pdf")
    media = client.complete_upload(status.upload_id, md5(doc), type="doc")
    assert media.type is MediaType.DOC and md5(httpx.get(media.url).content) == md5(doc)
    img = png_bytes(1000)
    status = send_all(client, img)
    assert client.complete_upload(status.upload_id, md5(img), type=MediaType.EIMAGE).type is MediaType.EIMAGE


def test_content_range_end_is_inclusive(client, sandbox):
    data = png_bytes(2000)
    response = client._http.post(
        "/api/v2/media/upload/chunk/",
        files={"image": ("a.png", data[:1000])},
        headers={"Content-Range": f"bytes 0-1000/{len(data)}"},  # claims 1001 bytes
    )
    assert response.status_code == 400 and response.json() == {"detail": "File size doesn't match headers"}
    for bad in ("bytes 0-999", "0-999/2000", "bytes 5-1/2000", "bytes 0-999/999", "items 0-999/2000"):
        response = client._http.post(
            "/api/v2/media/upload/chunk/", files={"image": ("a.png", data[:1000])}, headers={"Content-Range": bad}
        )
        assert response.status_code == 400, bad
        assert response.json() == {"detail": "Error in request headers"}


def test_offset_mismatch_gives_the_server_offset(client):
    data = png_bytes(450_000)
    first = client.upload_chunk(data[:CHUNK], start=0, total=len(data), filename="a.png")
    with pytest.raises(OffsetMismatch) as info:
        client.upload_chunk(
            data[CHUNK * 2 :], start=CHUNK * 2, total=len(data), filename="a.png", upload_id=first.upload_id
        )
    assert info.value.offset == CHUNK and info.value.message == "Offsets do not match"
    rest = client.upload_chunk(
        data[CHUNK : CHUNK * 2], start=CHUNK, total=len(data), filename="a.png", upload_id=first.upload_id
    )
    assert rest.offset == CHUNK * 2


def test_oversize_chunk_and_file_are_refused(client):
    with pytest.raises(BadRequest) as info:
        client.upload_chunk(bytes(CHUNK + 1), start=0, total=CHUNK + 1, filename="a.png")
    assert "maximum of 204800" in info.value.message
    with pytest.raises(BadRequest) as info:
        client.upload_chunk(bytes(100), start=0, total=5 * 1024 * 1024 + 1, filename="a.png")
    assert "exceeds the limit (5242880 bytes)" in info.value.message


def test_documents_must_be_pdf(client):
    with pytest.raises(BadRequest) as info:
        client.upload_chunk(b"GIF89a....", start=0, total=10, filename="x.pdf", field="document")
    assert info.value.field_errors == {"document": ["Only PDF documents are accepted."]}


def test_wrong_md5_is_refused_and_the_upload_survives(client):
    data = png_bytes(1000)
    status = send_all(client, data)
    with pytest.raises(BadRequest) as info:
        client.complete_upload(status.upload_id, "0" * 32)
    assert info.value.message == "md5 checksum does not match"
    assert client.complete_upload(status.upload_id, md5(data)).id


def test_completing_twice_is_refused(client):
    data = png_bytes(1000)
    status = send_all(client, data)
    client.complete_upload(status.upload_id, md5(data))
    with pytest.raises(BadRequest) as info:
        client.complete_upload(status.upload_id, md5(data))
    assert "already been marked" in info.value.message


def test_expired_upload_is_gone(make_sandbox):
    server = make_sandbox(expire_seconds=0.3)
    data = png_bytes(300_000)
    with MediaClient(server.url, server.token) as client:
        first = client.upload_chunk(data[:CHUNK], start=0, total=len(data), filename="a.png")
        server.sandbox.clock = lambda: time.time() + 0.4  # the sandbox's clock moves on, not the test's
        with pytest.raises(Gone) as info:
            client.upload_chunk(data[CHUNK:], start=CHUNK, total=len(data), filename="a.png", upload_id=first.upload_id)
    assert info.value.status == 410 and info.value.message == "Upload has expired"


def test_unknown_upload_id_is_a_404_with_an_html_body(client):
    with pytest.raises(NotFound) as info:
        client.upload_chunk(b"x", start=1, total=2, filename="a.png", upload_id="f" * 32)
    assert info.value.message.startswith("404 Not Found")
    with pytest.raises(NotFound):
        client.complete_upload("0" * 32, "0" * 32)


def test_not_an_image_is_refused_on_complete(client):
    data = b"definitely not a png"
    status = send_all(client, data)
    with pytest.raises(BadRequest) as info:
        client.complete_upload(status.upload_id, md5(data))
    assert "valid image" in info.value.field_errors["image"][0]


def test_bad_upload_input_is_refused_before_sending(client):
    for call in (
        lambda: client.upload_chunk(b"", start=0, total=1, filename="a"),
        lambda: client.upload_chunk(b"ab", start=1, total=2, filename="a", upload_id="u"),
        lambda: client.upload_chunk(b"ab", start=2, total=3, filename="a"),
        lambda: client.complete_upload("u", "not-md5"),
        lambda: client.complete_upload("u", "0" * 32, type="vimeo"),
    ):
        with pytest.raises(InvalidInput):
            call()


def test_uploads_are_private_to_their_user(sandbox):
    data = png_bytes(300_000)
    with MediaClient(sandbox.url, sandbox.token) as mine, MediaClient(sandbox.url, "other-token") as theirs:
        first = mine.upload_chunk(data[:CHUNK], start=0, total=len(data), filename="a.png")
        with pytest.raises(NotFound):
            theirs.upload_chunk(data[CHUNK:], start=CHUNK, total=len(data), filename="a.png", upload_id=first.upload_id)
