"""Passwords: argon2id hashes (argon2-cffi), never the password itself.

The hasher's parameters are argon2-cffi's current recommendation; when a later version
raises them, `needs_rehash` tells sign-in to store a fresh hash while the password is at
hand.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from procure.services.errors import FieldProblem, InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 200

_hasher = PasswordHasher()

# Verified against when the email is unknown, so that an unknown email costs as much time
# as a wrong password and the answer's timing does not tell which was wrong.
_DUMMY_HASH = _hasher.hash("procure: no such user, wrong on purpose")


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"the password is too short: use at least {MIN_LENGTH} characters",
            [FieldProblem(f"at least {MIN_LENGTH} characters", field=field)],
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(
            f"the password is too long: use at most {MAX_LENGTH} characters",
            [FieldProblem(f"at most {MAX_LENGTH} characters", field=field)],
        )


def hash_password(password: str) -> str:
    """The argon2 hash of a password that follows the rules (InvalidInput otherwise)."""
    check_password_rules(password)
    return _hasher.hash(password)


def rehash_password(password: str) -> str:
    """A fresh hash of a password that was just verified; the length rules of the day
    are not applied again (the user chose it under the rules of its day)."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no stored hash the work is done all the same."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
