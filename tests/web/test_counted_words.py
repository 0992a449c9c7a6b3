"""The pages' sentences with a count: singular at 1, plural otherwise (procure.web.i18n)."""

from __future__ import annotations

import string

import pytest

from procure.engine.wording import Plural
from procure.web.i18n import WORDS, Translator


def _forms(entry) -> list[str]:
    return _forms(entry.other) + _forms(entry.one) if isinstance(entry, Plural) else [entry]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(k for k, words in WORDS.items() if any(isinstance(w, Plural) for w in words)))
def test_each_form_of_a_counted_sentence_takes_no_other_parameters(key):
    swedish, english = (_forms(words) for words in WORDS[key])
    assert _fields(swedish[0]) == _fields(english[0])
    for forms in (swedish, english):
        assert all(_fields(form) <= _fields(forms[0]) for form in forms)


def _said(key: str, **values) -> tuple[str, str]:
    return Translator("sv")(key, **values), Translator("en")(key, **values)


def test_one_error_one_entry_one_second_are_singular():
    assert _said("csv_errors", n=1) == (
        "Filen har 1 fel; inget sparades. Rätta det och ladda upp filen igen.",
        "The file has 1 error; nothing was saved. Fix it and upload the file again.")
    assert _said("chain_ok", n=1, head="abc") == (
        "Ändringsloggens kedja är obruten (1 post). Senaste hash: abc",
        "The audit log's chain is intact (1 entry). Head hash: abc")
    assert _said("too_many_attempts", seconds=1) == (
        "För många misslyckade inloggningar: försök igen om 1 sekund.",
        "Too many failed sign-ins: try again in 1 second.")
    assert _said("downloads", n=1) == ("hämtad 1 gång", "downloaded once")


@pytest.mark.parametrize("n", [0, 2, 11])
def test_other_counts_keep_their_plural(n):
    assert _said("csv_errors", n=n) == (
        f"Filen har {n} fel; inget sparades. Rätta dem och ladda upp filen igen.",
        f"The file has {n} errors; nothing was saved. Fix them and upload the file again.")
    assert _said("chain_ok", n=n, head="abc") == (
        f"Ändringsloggens kedja är obruten ({n} poster). Senaste hash: abc",
        f"The audit log's chain is intact ({n} entries). Head hash: abc")
    assert _said("too_many_attempts", seconds=n)[1] == f"Too many failed sign-ins: try again in {n} seconds."
    assert _said("downloads", n=n) == (f"hämtad {n} gånger", f"downloaded {n} times")


def test_a_file_check_says_each_of_its_two_counts_in_its_own_number():
    def said(participants, placements):
        return _said("csv_ok", participants=participants, placements=placements)

    assert said(1, 1) == ("Filen är korrekt: 1 deltagare och 1 placering. Inget är sparat än.",
                          "The file is correct: 1 participant and 1 placement. Nothing is saved yet.")
    assert said(1, 2) == ("Filen är korrekt: 1 deltagare och 2 placeringar. Inget är sparat än.",
                          "The file is correct: 1 participant and 2 placements. Nothing is saved yet.")
    assert said(0, 1) == ("Filen är korrekt: 0 deltagare och 1 placering. Inget är sparat än.",
                          "The file is correct: 0 participants and 1 placement. Nothing is saved yet.")
    assert said(3, 4) == ("Filen är korrekt: 3 deltagare och 4 placeringar. Inget är sparat än.",
                          "The file is correct: 3 participants and 4 placements. Nothing is saved yet.")


def test_words_without_a_count_are_unchanged():
    assert _said("not_counted", n=1) == ("Räknades inte (1)", "Did not count (1)")
    assert _said("contracts") == ("Kontrakt", "Contracts")
    assert Translator("sv")("no such key") == "no such key"
