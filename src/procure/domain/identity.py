"""Swedish identity numbers: organisation numbers and personal identity numbers.

Validation is python-stdnum's. A personal identity number is reduced at once to a keyed
hash (HMAC-SHA256 with the installation's secret) so that the same person reported twice
can be detected without the number ever being stored, logged or shown. Error messages
here never repeat the number they reject.
"""

from __future__ import annotations

import hashlib
import hmac

from stdnum.exceptions import ValidationError
from stdnum.se import orgnr, personnummer


class InvalidIdentityNumber(ValueError):
    """Raised with a message that is safe to show: it never contains the number itself."""


def normalise_org_number(value: str) -> str:
    """`5561101816` or `556110-1816` → `556110-1816`, Luhn-checked."""
    try:
        digits = orgnr.validate(value)
    except ValidationError as error:
        raise InvalidIdentityNumber(
            f"{value!r} is not a valid Swedish organisation number (NNNNNN-NNNN): {error}"
        ) from None
    return f"{digits[:6]}-{digits[6:]}"


def personal_number_hash(value: str, secret: bytes) -> str:
    """Validate a personnummer or samordningsnummer and return its keyed hash (hex).

    The number is normalised to its twelve digits first, so that `19121212-1212`,
    `191212121212` and `121212-1212` give the same hash.
    """
    try:
        compact = personnummer.validate(value.strip())
        birth = personnummer.get_birth_date(compact)
    except (ValidationError, ValueError):
        raise InvalidIdentityNumber(
            "not a valid Swedish personal identity number (format, date or check digit)"
        ) from None
    twelve = f"{birth.year:04d}{compact.replace('-', '').replace('+', '')[-10:][2:]}"
    return hmac.new(secret, twelve.encode("ascii"), hashlib.sha256).hexdigest()
