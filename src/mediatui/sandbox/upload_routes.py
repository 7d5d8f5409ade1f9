"""The chunked-upload endpoints, with the real server's rules.

Chunks go in series; Content-Range END is inclusive; a wrong START gets the
server's offset back; uploads expire; completion checks the md5 and turns the
bytes into a media. Completing twice is refused here (the real server may
instead create a duplicate: clients must never rely on either).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import uuid
from datetime import datetime
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mediatui._compat import UTC
from mediatui.sandbox import choices
from mediatui.sandbox.file_facts import document_facts, image_facts
from mediatui.sandbox.media_routes import sandbox_of
from mediatui.sandbox.state import DJANGO_404, MEDIA_URL_PREFIX, HttpError, Sandbox, base_url, public
from mediatui.sandbox.store import Upload, new_media
from mediatui.sandbox.validation import ValidationError, clean_upload_type

_RANGE = re.compile(r"bytes (\d{1,12})-(\d{1,12})/(\d{1,12})")


async def upload_chunk(request: Request) -> Response:
    sandbox = sandbox_of(request)
    user = sandbox.user(request)
    config = sandbox.config
    start, end, total = _content_range(request.headers.get("content-range"))
    async with request.form(max_part_size=4 * config.max_chunk + 65536) as form:
        upload_id = form.get("upload_id")
        field = next((name for name in ("image", "document") if isinstance(form.get(name), UploadFile)), None)
        if field is None:
            raise HttpError(400, {"detail": "No chunk file was submitted"})
        part: UploadFile = form[field]  # type: ignore[assignment]
        filename = part.filename or "upload"
        data = await part.read()
    if len(data) != end - start + 1:
        raise HttpError(400, {"detail": "File size doesn't match headers"})
    if len(data) > config.max_chunk:
        raise HttpError(400, {"detail": f"Chunk size exceeds the maximum of {config.max_chunk} bytes"})
    limit = config.max_image if field == "image" else config.max_document
    if total > limit:
        raise HttpError(400, {"detail": f"Size of file exceeds the limit ({limit} bytes)"})

    if isinstance(upload_id, str) and upload_id:
        upload = _open_upload(sandbox, upload_id, user)
        if field != upload.field:
            raise HttpError(400, {field: [f"This upload was started as {upload.field!r}."]})
        if total != upload.total:
            raise HttpError(400, {"detail": "File size doesn't match headers"})
        if start != upload.received:
            raise HttpError(400, {"detail": "Offsets do not match", "offset": upload.received})
        with open(_partial(sandbox, upload.upload_id), "ab") as out:
            out.write(data)
        upload.received += len(data)
        sandbox.store.set_upload(upload.upload_id, received=upload.received)
        status = 200
    else:
        if start != 0:
            raise HttpError(400, {"detail": "Offsets do not match", "offset": 0})
        if field == "document" and not data.startswith(b"%PDF-"):
            raise HttpError(400, {"document": ["Only PDF documents are accepted."]})
        upload = Upload(
            uuid.uuid4().hex,
            user,
            field,
            filename,
            total,
            len(data),
            sandbox.clock() + config.expire_seconds,
            "uploading",
            None,
        )
        _partial(sandbox, upload.upload_id).write_bytes(data)
        sandbox.store.add_upload(upload)
        status = 201
    expires = datetime.fromtimestamp(upload.expires_at, UTC).isoformat().replace("+00:00", "Z")
    return JSONResponse(
        {"upload_id": upload.upload_id, "offset": upload.received, "expires": expires}, status_code=status
    )


async def complete_upload(request: Request) -> Response:
    sandbox = sandbox_of(request)
    user = sandbox.user(request)
    async with request.form() as form:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
    if not values.get("upload_id") or not values.get("md5"):  # django-chunked-upload's own words
        raise HttpError(400, {"detail": "Both 'upload_id' and 'md5' are required"})
    upload = _open_upload(sandbox, values["upload_id"], user)
    kind = clean_upload_type(values.get("type"), upload.field)
    if (upload.field == "document") != (kind == choices.DOC):
        raise ValidationError({"type": [f'"{kind}" is not a valid choice for this file.']})
    partial = _partial(sandbox, upload.upload_id)
    if upload.received != upload.total:
        raise HttpError(400, {"detail": f"Upload is incomplete: {upload.received} of {upload.total} bytes received"})
    if _md5(partial) != values["md5"]:  # exactly, as that library compares: lower-case hex, nothing around it
        raise HttpError(400, {"detail": "md5 checksum does not match"})
    width = height = None
    if upload.field == "image":
        try:
            with Image.open(partial) as img:
                width, height = img.size
                img.load()  # a truncated image is refused here, not when its thumbnail is made
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):  # as Django's ImageField
            raise ValidationError(
                {"image": ["Upload a valid image. The file you uploaded was either not an image or a corrupted image."]}
            ) from None
    name = safe_name(upload.filename)
    target = sandbox.files_dir / "uploads" / upload.upload_id / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(partial, target)
    path = MEDIA_URL_PREFIX + target.relative_to(sandbox.files_dir).as_posix()
    doc = kind == choices.DOC
    facts = document_facts(upload.total) if doc else image_facts(target, sandbox.files_dir, upload.total)
    data = new_media(sandbox.new_hash(), sandbox.now_iso(), kind, title=_title(upload.filename),
                     url=path if doc else None, image=None if doc else path, image_width=width,
                     image_height=height, **facts)  # fmt: skip
    row = sandbox.store.insert_media(user, data)
    sandbox.store.set_upload(upload.upload_id, status="complete", media_id=row["id"])
    return JSONResponse(public(row, base_url(request)), status_code=201)


def safe_name(name: str) -> str:
    """A file name that cannot leave its folder: no separators, no leading dots."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip("._")[:100]
    return base or "upload"


def _title(filename: str) -> str:
    base = re.split(r"[\\/]", filename or "")[-1]
    return "".join(ch for ch in base if ch.isprintable())[:255] or "upload"


def _content_range(value: str | None) -> tuple[int, int, int]:
    match = _RANGE.fullmatch((value or "").strip())
    if not match:
        raise HttpError(400, {"detail": "Error in request headers"})
    start, end, total = (int(g) for g in match.groups())
    if end < start or end >= total:
        raise HttpError(400, {"detail": "Error in request headers"})
    return start, end, total


def _open_upload(sandbox: Sandbox, upload_id: str, user: str) -> Upload:
    upload = sandbox.store.get_upload(upload_id)
    if upload is None or upload.owner != user:
        raise HttpError(404, html=DJANGO_404)  # Django's page, not JSON: clients must cope
    if upload.status == "complete":
        raise HttpError(400, {"detail": 'Upload has already been marked as "complete"'})
    if upload.status == "expired" or upload.expires_at <= sandbox.clock():
        if upload.status != "expired":
            sandbox.store.set_upload(upload_id, status="expired")
            _partial(sandbox, upload_id).unlink(missing_ok=True)
        raise HttpError(410, {"detail": "Upload has expired"})
    return upload


def _partial(sandbox: Sandbox, upload_id: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}", upload_id):
        raise HttpError(404, html=DJANGO_404)
    return sandbox.partial_dir / upload_id


def _md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
