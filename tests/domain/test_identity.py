import pytest

from procure.domain.identity import InvalidIdentityNumber, normalise_org_number, personal_number_hash

SECRET = b"x" * 32


def test_org_number_is_normalised_and_luhn_checked():
    assert normalise_org_number("5561101816") == "556110-1816"
    with pytest.raises(InvalidIdentityNumber, match="organisation number"):
        normalise_org_number("556110-1817")


@pytest.mark.parametrize("form", ["19121212-1212", "191212121212", "121212+1212"])
def test_personal_number_forms_give_one_hash(form):
    assert personal_number_hash(form, SECRET) == personal_number_hash("19121212-1212", SECRET)


def test_hash_is_keyed():
    assert personal_number_hash("19121212-1212", SECRET) != personal_number_hash("19121212-1212", b"y" * 32)


@pytest.mark.parametrize("bad", ["19121212-1213", "19121232-1212", "hello", ""])
def test_invalid_personal_number_error_never_repeats_it(bad):
    with pytest.raises(InvalidIdentityNumber) as error:
        personal_number_hash(bad, SECRET)
    assert "1212" not in str(error.value)
