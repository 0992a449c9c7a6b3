"""Passwords: argon2id hashes (argon2-cffi), never the password itself.

A password someone sets must be hard to guess: zxcvbn's estimate (`MIN_SCORE` or more of
4) with the user's email, name and organisation, and the product's own name, counted as
words an attacker would try first. The demo's documented password is refused outright.

The hasher's parameters are argon2-cffi's current recommendation; when a later version
raises them, `needs_rehash` tells sign-in to store a fresh hash while the password is at
hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from procure.services.errors import FieldProblem, InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 200
MIN_SCORE = 3  # zxcvbn: "safely unguessable: moderate protection from offline slow-hash scenario"
# zxcvbn's own limit, and its time grows fast with length: the strength of a longer
# password is judged by its first this many characters.
STRENGTH_CHECKED_LENGTH = 72

# `procure demo`'s users sign in with this (an external screenshot tool relies on it); it
# is printed on the screen and in the README, so no user may ever choose it.
DEMO_PASSWORD = "procure-demo"
PRODUCT_WORDS = ("procure", DEMO_PASSWORD)

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


def _context_words(context: Iterable[str]) -> list[str]:
    words = [*PRODUCT_WORDS]
    for item in context:
        item = (item or "").strip().lower()
        if item:
            # "anna.berg@ostersundshem.se" gives "anna", "berg", "ostersundshem" too.
            words += [item, *item.replace("@", " ").replace(".", " ").replace("-", " ").split()]
    return words


def check_password_strength(password: str, context: Iterable[str] = (), field: str = "password") -> None:
    """InvalidInput unless the password is hard to guess for someone who knows `context`
    (the user's email, name, organisation)."""
    if password.strip().lower() == DEMO_PASSWORD:
        raise InvalidInput(
            "the password is the demo's published password: choose your own",
            [FieldProblem("the demo's published password", field=field)],
        )
    estimate = zxcvbn(password[:STRENGTH_CHECKED_LENGTH], user_inputs=_context_words(context))
    if estimate["score"] < MIN_SCORE:
        feedback = estimate["feedback"]
        hints = " ".join(filter(None, [feedback.get("warning"), *feedback.get("suggestions", [])]))
        message = "the password is too easy to guess: use a few uncommon words, not your name, email or organisation"
        raise InvalidInput(f"{message}{f' ({hints})' if hints else ''}", [FieldProblem("too easy to guess", field=field)])


def hash_password(password: str, context: Iterable[str] = ()) -> str:
    """The argon2 hash of a password that follows the rules and is hard to guess for
    someone who knows `context` (InvalidInput otherwise)."""
    check_password_rules(password)
    check_password_strength(password, context)
    return _hasher.hash(password)


def hash_without_checks(password: str) -> str:
    """The hash of a password the rules of the day are not applied to: one that was just
    verified (the user chose it under the rules of its day), and the demo's published
    password. Never for a password a user sets."""
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
