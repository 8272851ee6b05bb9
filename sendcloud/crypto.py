"""Encryption at rest for Sendcloud secrets (Fernet, key stretched from settings)."""

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _material() -> str:
    # Without SECRETS_ENCRYPTION_KEY (development only; a system check refuses it in
    # production) the key derives from SECRET_KEY so a fresh checkout works out of the box.
    return settings.SECRETS_ENCRYPTION_KEY or f"dev:{settings.SECRET_KEY}"


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"sendcloud-secrets:{_material()}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def secret_encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def secret_decrypt(token: str) -> str:
    """The clear secret; an empty string when it was stored under another key."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def secret_decrypt_remembered(token: str) -> str:
    """`secret_decrypt` for a hot path (every webhook): each process keeps the secrets of the
    ciphertexts it decrypted last. A changed key is a new ciphertext, so it is never stale."""
    return _decrypt_remembered(_material(), token)


@functools.lru_cache(maxsize=1024)
def _decrypt_remembered(material: str, token: str) -> str:
    # The material is part of the key only so that a changed encryption key (tests) is obeyed.
    return secret_decrypt(token)


def mask(value: str, visible: int = 4) -> str:
    """Show only the end of a key: enough to recognise it, not to use it."""
    if not value:
        return ""
    return "•" * 8 + value[-visible:]
