"""A checked placements file waiting for the user's confirmation, carried by the page.

The file may hold personal identity numbers, which are never stored and never shown. So
between the check and the confirmation the server keeps nothing: the page carries the
file encrypted (AES-GCM, a key derived from the installation's secret) and bound to the
user and the contract, and the confirmation decrypts and imports it — checked again.
"""

from __future__ import annotations

import base64
import os
import zlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from procure.settings import Settings
from procure.web.sessions import derived_key


class ExpiredUpload(ValueError):
    pass


def _bound_to(user_id: object, contract_id: object) -> bytes:
    return f"{user_id}:{contract_id}".encode()


def seal_upload(settings: Settings, user_id: object, contract_id: object, content: bytes) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(derived_key(settings, b"pending import")).encrypt(
        nonce, zlib.compress(content), _bound_to(user_id, contract_id)
    )
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def open_upload(settings: Settings, user_id: object, contract_id: object, token: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
        content = AESGCM(derived_key(settings, b"pending import")).decrypt(
            raw[:12], raw[12:], _bound_to(user_id, contract_id)
        )
        return zlib.decompress(content)
    except (ValueError, InvalidTag, zlib.error):
        raise ExpiredUpload("the checked file could not be read back: upload it again") from None
