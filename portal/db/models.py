"""Documents of the portal. Multilingual values use the portal's keys (uzbText, ...)."""

from datetime import UTC, datetime

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    EmbeddedDocument,
    EmbeddedDocumentField,
    EmbeddedDocumentListField,
    IntField,
    ListField,
    ObjectIdField,
    StringField,
)

from portal.core.fields import TYPE_NAMES
from portal.core.frequencies import FREQUENCIES
from portal.core.langs import LANG_KEYS

ROLES = ("admin", "operator", "author", "org_admin")  # org_admin: see services/roles.py
STATUSES = ("draft", "published", "updated", "rejected")
KINDS = ("editable", "fillable")
LIVE = 2**31 - 1  # `t` of a row that no version has closed yet


def utcnow():
    """The current UTC time, naive, as MongoDB stores it (millisecond precision)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class Multilingual(EmbeddedDocument):
    uzbText = StringField(default="")
    uzbKrText = StringField(default="")
    rusText = StringField(default="")
    engText = StringField(default="")

    def to_dict(self):
        return {k: self[k] or "" for k in LANG_KEYS}


def ml(value):
    """A Multilingual from a dict (None stays None)."""
    return None if value is None else Multilingual(**{k: v for k, v in value.items() if v})


class Organization(Document):
    code = StringField(required=True, unique=True)
    name = EmbeddedDocumentField(Multilingual, required=True)
    parent = StringField()
    tin = StringField()
    phone = StringField()
    email = StringField()
    next_serial = IntField(default=1)
    portal_id = IntField()  # the numeric id data.egov.uz clients know (userOrgId, orgId)
    created_at = DateTimeField(default=utcnow)
    meta = {
        "collection": "organizations",
        "indexes": [
            "parent",
            {"fields": ["tin"], "sparse": True},
            {"fields": ["portal_id"], "unique": True, "sparse": True},
        ],
    }


class Sector(Document):
    code = StringField(required=True, unique=True)
    guid = StringField()  # the sphere id of data.egov.uz (24 hex), hard-coded in its clients
    name = EmbeddedDocumentField(Multilingual, required=True)
    meta = {
        "collection": "sectors",
        "indexes": [{"fields": ["guid"], "unique": True, "sparse": True}],
    }


class DirectoryItem(EmbeddedDocument):
    code = StringField(required=True)
    name = EmbeddedDocumentField(Multilingual, required=True)


class Directory(Document):
    code = StringField(required=True, unique=True)
    name = EmbeddedDocumentField(Multilingual, required=True)
    items = EmbeddedDocumentListField(DirectoryItem)
    meta = {"collection": "directories"}

    def as_lookup(self):
        """The plain shape the core directory lookup takes."""
        return {
            "code": self.code,
            "items": [{"code": i.code, "name": i.name.to_dict()} for i in self.items],
        }


class User(Document):
    email = StringField(unique=True, sparse=True)
    pin = StringField(unique=True, sparse=True)
    oneid_user_id = StringField()
    subject = StringField(unique=True, sparse=True)  # `sub` of a standard OIDC provider
    name = StringField(default="")
    phone = StringField()
    organization = StringField()
    roles = ListField(StringField(choices=ROLES))
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    last_login = DateTimeField()
    # A one-time first-login code an admin hands out (its SHA-256; the code is shown once).
    signin_code = StringField(unique=True, sparse=True)
    signin_code_expires = DateTimeField()
    meta = {"collection": "users", "indexes": ["organization"]}


class ApiToken(Document):
    lookup = StringField(required=True, unique=True)  # public part of the token
    hash = StringField(required=True)
    user = ObjectIdField(required=True)
    scope = StringField(choices=("personal", "dataset"), required=True)
    dataset = ObjectIdField()
    name = StringField(default="")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    revoked_at = DateTimeField()
    last_used_at = DateTimeField()
    meta = {"collection": "tokens", "indexes": ["user", "dataset"]}


class Field(EmbeddedDocument):
    name = StringField(required=True)
    type = StringField(required=True, choices=TYPE_NAMES)
    caption = EmbeddedDocumentField(Multilingual, required=True)
    visible = BooleanField(default=True)
    order = IntField(default=0)
    directory = StringField()

    def to_dict(self):
        return {
            "name": self.name,
            "type": self.type,
            "caption": self.caption.to_dict(),
            "visible": self.visible,
            "order": self.order,
            "directory": self.directory,
        }


class Version(EmbeddedDocument):
    """A version record; the dataset keeps its latest ones, `version_history` keeps all."""

    number = IntField(required=True)
    created_at = DateTimeField(default=utcnow)
    by = StringField()
    source = StringField()  # upload, push, structure, seed
    rows = IntField(default=0)
    added = IntField(default=0)
    removed = IntField(default=0)
    fields = ListField(DictField())  # earlier builds: the fields copied into every record
    structure = StringField()  # key of the version's field snapshot (`field_snapshots`)
    checksum = StringField()
    scheme = IntField()  # checksum scheme: 2 the row hash chain, absent the first builds' one
    tail = DictField()  # {p, chain}: last position and chain state, what an append extends
    writer = StringField()  # id of the write lock it was written under
    meta = {"strict": False}


class Rejection(EmbeddedDocument):
    reasons = ListField(StringField())
    at = DateTimeField(default=utcnow)
    by = StringField()


class RejectionRecord(Document):
    """Every rejection of a dataset, kept after it is cleared."""

    dataset = ObjectIdField(required=True)
    reasons = ListField(StringField())
    at = DateTimeField(default=utcnow)
    by = StringField()
    cleared_at = DateTimeField()
    cleared_by = StringField()
    meta = {"collection": "rejections", "indexes": [("dataset", "-at")]}


class Methodology(EmbeddedDocument):
    file_id = ObjectIdField()
    filename = StringField()
    content_type = StringField()
    size = IntField()
    uploaded_at = DateTimeField(default=utcnow)


class Dataset(Document):
    code = StringField(required=True, unique=True)
    serial = IntField()
    organization = StringField(required=True)
    sector = StringField()
    title = EmbeddedDocumentField(Multilingual, required=True)
    description = EmbeddedDocumentField(Multilingual)
    is_priority = BooleanField(default=False)
    update_frequency = StringField(choices=FREQUENCIES, default="irregular")
    phone = StringField()
    email = StringField()
    kind = StringField(choices=KINDS)
    legal_basis = StringField()
    keywords = ListField(StringField())
    external_link = StringField()
    methodology = EmbeddedDocumentField(Methodology)
    fields = EmbeddedDocumentListField(Field)
    status = StringField(choices=STATUSES, default="draft")
    active = BooleanField(default=True)
    current_version = IntField(default=0)
    versions = EmbeddedDocumentListField(Version)
    rejection = EmbeddedDocumentField(Rejection)
    lock = DictField()  # {"id", "until"}: the write in progress, for one-writer-at-a-time
    unclean = ListField(DictField())  # {"id", "from"}: writers that may have left rows behind
    views = IntField(default=0)
    downloads = IntField(default=0)
    downloads_by_format = DictField()
    downloads_by_version = DictField()  # {"<version>": {"<format>": n}}
    rating_sum = IntField(default=0)
    rating_count = IntField(default=0)
    terms = ListField(StringField())  # search index terms
    created_by = StringField()
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    data_updated_at = DateTimeField()
    meta = {
        "collection": "datasets",
        "indexes": [
            "organization",
            "status",
            "-updated_at",
        ],
    }

    @property
    def is_public(self):
        return self.active and self.current_version > 0 and self.status != "rejected"


class Notification(Document):
    user = ObjectIdField()
    organization = StringField()  # notices for every author of an organization
    role = StringField()  # notices for everyone with a role (operators)
    dataset = ObjectIdField()
    dataset_code = StringField()
    kind = StringField()
    message = StringField()
    reasons = ListField(StringField())
    created_at = DateTimeField(default=utcnow)
    read_by = ListField(ObjectIdField())
    # What the notice is about (a comment, a proposal): notices about an item under review are
    # held back until an operator clears it.
    subject_kind = StringField()
    subject_id = ObjectIdField()
    held = BooleanField(default=False)
    meta = {
        "collection": "notifications",
        "indexes": ["organization", "user", "-created_at", ("subject_kind", "subject_id")],
    }


class Job(Document):
    dataset = ObjectIdField()
    user = ObjectIdField()
    kind = StringField(default="upload")
    status = StringField(default="queued")  # queued, running, done, failed
    params = DictField()  # filename, dry_run, confirm_removal
    file = ObjectIdField()  # the upload in GridFS (job_files) until the job ends
    attempts = IntField(default=0)
    worker = StringField()  # the worker holding the lease
    lease_until = DateTimeField()
    started_at = DateTimeField()
    progress = DictField()
    result = DictField()
    error = DictField()
    errors_file = ObjectIdField()  # the full error list in GridFS (job_errors)
    created_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField()
    meta = {"collection": "jobs", "indexes": ["dataset", ("status", "created_at")]}


class IdempotencyRecord(Document):
    key = StringField(required=True, unique=True)  # token id + header value
    state = StringField(default="done")  # pending while the first request is publishing
    fingerprint = StringField()  # hash of the body the key was first used with
    claim = StringField()  # which request holds a pending key
    status = IntField()
    body = DictField()
    created_at = DateTimeField(default=utcnow)
    meta = {
        "collection": "idempotency",
        "indexes": [{"fields": ["created_at"], "expireAfterSeconds": 86400}],
    }


ALL_DOCUMENTS = (
    Organization,
    Sector,
    Directory,
    User,
    ApiToken,
    Dataset,
    Notification,
    Job,
    IdempotencyRecord,
    RejectionRecord,
)


def ensure_indexes():
    """Create the declared indexes (idempotent; runs at start-up)."""
    for doc in ALL_DOCUMENTS:
        doc.ensure_indexes()
