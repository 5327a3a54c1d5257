"""The methodology file of a dataset: checked by content, kept in GridFS."""

import io
import zipfile

import gridfs

from portal.core.errors import BadRequest, Conflict, NotFound, TooLarge
from portal.db.connection import get_db
from portal.db.models import Dataset, Methodology, utcnow
from portal.services.publishing import datasets

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc (OLE2 compound file)
ZIP_KINDS = {
    "word/document.xml": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xl/workbook.xml": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def sniff(head, data):
    """(extension, content type) of an allowed file by its content, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(OLE):
        return "doc", "application/msword"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mime = archive.read("mimetype").decode("ascii", "replace").strip()
                    if mime == "application/vnd.oasis.opendocument.text":
                        return "odt", mime
                for name, kind in ZIP_KINDS.items():
                    if name in names:
                        return kind
        except zipfile.BadZipFile:
            return None
    return None


def store(user, ref, storage, max_bytes):
    """Replace the dataset's methodology file."""
    dataset = datasets.for_author(user, ref)
    data = storage.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(f"the methodology file is larger than {max_bytes // (1024 * 1024)} MiB")
    if not data:
        raise BadRequest("the methodology file is empty")
    kind = sniff(data[:16], data)
    if kind is None:
        raise BadRequest(
            "the methodology file must be a pdf, doc, docx, odt or xlsx document "
            "(checked by its content)"
        )
    ext, content_type = kind
    fs = gridfs.GridFS(get_db(), collection="methodology")
    file_id = fs.put(
        data,
        filename=f"{dataset.code}-methodology.{ext}",
        content_type=content_type,
        dataset=str(dataset.id),
    )
    old = dataset.methodology.file_id if dataset.methodology else None
    record = Methodology(
        file_id=file_id,
        filename=f"{dataset.code}-methodology.{ext}",
        content_type=content_type,
        size=len(data),
    )
    # One conditional update swaps the file the dataset points at: a concurrent replace makes
    # this one fail (409) rather than leave a file nobody points at or delete the other's.
    result = Dataset._get_collection().update_one(
        {"_id": dataset.id, "methodology.file_id": old},
        {"$set": {"methodology": record.to_mongo().to_dict(), "updated_at": utcnow()}},
    )
    if result.modified_count != 1:
        fs.delete(file_id)
        raise Conflict(f"the methodology file of {dataset.code} was replaced meanwhile; try again")
    if old:
        fs.delete(old)
    dataset.reload()
    return datasets.passport(dataset)["methodology"]


def fetch(user, ref):
    """(filename, content type, bytes) of a readable dataset's methodology file."""
    dataset = datasets.visible(user, ref)
    if not dataset.methodology or not dataset.methodology.file_id:
        raise NotFound(f"dataset {dataset.code} has no methodology file")
    fs = gridfs.GridFS(get_db(), collection="methodology")
    try:
        handle = fs.get(dataset.methodology.file_id)
    except gridfs.NoFile:
        # replaced between reading the dataset and opening the file: read the new one
        dataset.reload()
        if not dataset.methodology or not dataset.methodology.file_id:
            raise NotFound(f"dataset {dataset.code} has no methodology file") from None
        handle = fs.get(dataset.methodology.file_id)
    return dataset.methodology.filename, dataset.methodology.content_type, handle.read()
