"""Personal data encrypted at rest: resident ID numbers are stored as Fernet tokens
(AES-128-CBC with an HMAC, from ``cryptography``), and found through keyed hashes
(HMAC-SHA256) that let the database enforce uniqueness and answer exact look-ups without
ever holding the number itself.

Keys come from the environment (``YINLING_FIELD_ENCRYPTION_KEYS``: Fernet keys, newest
first, so old rows stay readable while ``manage.py rotate_field_keys`` re-encrypts them;
``YINLING_LOOKUP_HASH_KEY``: the HMAC key). On a laptop, with neither set, a key file is
generated once in ``var/`` (readable by its owner only) and shared by the web app and the
worker.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Every Fernet token starts with the version byte 0x80, which base64 writes as "gAAAAA".
TOKEN_PREFIX = "gAAAAA"


def _key_file() -> Path:
    return Path(settings.YINLING_FIELD_KEY_FILE)


def _generated_keys() -> dict:
    """The laptop's key file: created atomically by whichever process needs it first."""
    path = _key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = {
        "encryption_keys": [Fernet.generate_key().decode()],
        "lookup_hash_key": secrets.token_urlsafe(48),
    }
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return json.loads(path.read_text())
    with os.fdopen(descriptor, "w") as handle:
        json.dump(keys, handle)
    return keys


@functools.cache
def _configured(encryption_keys: tuple[str, ...], lookup_hash_key: str) -> tuple:
    if not encryption_keys or not lookup_hash_key:
        generated = _generated_keys()
        encryption_keys = encryption_keys or tuple(generated["encryption_keys"])
        lookup_hash_key = lookup_hash_key or generated["lookup_hash_key"]
    try:
        fernet = MultiFernet([Fernet(key) for key in encryption_keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "YINLING_FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64 bytes): "
            f"{error}"
        ) from None
    return fernet, lookup_hash_key.encode()


def _keys() -> tuple[MultiFernet, bytes]:
    return _configured(
        tuple(settings.YINLING_FIELD_ENCRYPTION_KEYS), settings.YINLING_LOOKUP_HASH_KEY
    )


def encrypt(text: str) -> str:
    return _keys()[0].encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with YINLING_FIELD_ENCRYPTION_KEYS: "
            "was a key removed before `manage.py rotate_field_keys` ran?"
        ) from None


def reencrypt(token: str) -> str:
    """The token under the newest key (unchanged in meaning)."""
    return _keys()[0].rotate(token.encode()).decode()


def lookup_hash(text: str) -> str:
    """A keyed hash of ``text``: equal texts give equal hashes, and without the key the
    hash says nothing (ten thousand possible 4-digit tails cannot be tried)."""
    digest = hmac.new(_keys()[1], text.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().rstrip("=").lower()


def generate_keys() -> dict[str, str]:
    """Fresh values for the two environment variables (``manage.py rotate_field_keys
    --generate`` prints them)."""
    return {
        "YINLING_FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "YINLING_LOOKUP_HASH_KEY": secrets.token_urlsafe(48),
    }


class EncryptedTextField(models.TextField):
    """Text stored encrypted; in Python the attribute holds the plain value. The database
    cannot compare or search such a column (each token is different, even for the same
    text): look records up through a :class:`LookupHashField` instead."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if value.startswith(TOKEN_PREFIX):
            raise ValueError("EncryptedTextField is given a value that is already encrypted.")
        return encrypt(value)

    def formfield(self, **kwargs):
        # One line of text (a TextField would offer a textarea).
        return super().formfield(**{"widget": forms.TextInput, **kwargs})

    def get_lookup(self, lookup_name):
        # Only "is it empty?" makes sense on ciphertext; anything else would silently match
        # nothing.
        if lookup_name != "isnull":
            raise TypeError(
                f"{self.model.__name__}.{self.name} is encrypted: look it up by its hash, "
                f"not with __{lookup_name}."
            )
        return super().get_lookup(lookup_name)


class LookupHashField(models.CharField):
    """The keyed hash of another field's value (or of its last ``tail`` characters),
    computed whenever the record is saved or bulk-created."""

    def __init__(self, *args, source: str = "", tail: int = 0, **kwargs):
        self.source = source
        self.tail = tail
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.tail:
            kwargs["tail"] = self.tail
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def hash_of(self, value: str | None) -> str | None:
        if not value:
            return None
        return lookup_hash(value[-self.tail :] if self.tail else value)

    def pre_save(self, model_instance, add):
        value = self.hash_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
