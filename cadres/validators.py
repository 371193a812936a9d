"""Validation of Chinese resident identity numbers (居民身份证号码)."""

import functools
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric


def normalize_resident_id(value: str) -> str:
    """Strip spaces and upper-case the check character ("x" → "X")."""
    return ric.compact(value or "").upper()


def _region_known(number: str) -> bool:
    """Whether the first six digits are a county-level code that has ever existed.

    The code is the one in force where the number was issued (mostly from 1985 on), not
    at birth, so a retiree born in 1950 may well carry a code created in 1992 (浦东新区):
    any era counts."""
    return _county_code_known(number[:6])


@functools.lru_cache(maxsize=8192)
def _county_code_known(code: str) -> bool:
    # A bureau's retirees share a few dozen codes; an import checks thousands of rows.
    found = numdb.get("cn/loc").info(code)
    return any(props.get("county") for _part, props in found)


def validate_resident_id(value: str) -> None:
    """Reject anything but a well-formed 18-character number with a real birth date, a
    known region code and a valid GB 11643 check digit (computed by python-stdnum)."""
    number = normalize_resident_id(value)
    if len(number) != 18:
        raise ValidationError(
            _("A resident ID number has 18 characters; this one has %(count)d."),
            code="id_length",
            params={"count": len(number)},
        )
    # ASCII only: str.isdigit() also accepts "²", on which the check digit's int() fails.
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationError(
            _("A resident ID number is 17 digits followed by a digit or X."),
            code="id_format",
        )
    try:
        ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("The birth date inside this resident ID number does not exist."),
            code="id_birth_date",
        ) from None
    if not _region_known(number):
        raise ValidationError(
            _("The first six digits of this resident ID number are not a known region code."),
            code="id_region",
        )
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(
            _("The check digit of this resident ID number is wrong; please check it."),
            code="id_checksum",
        )


def resident_id_birth_date(value: str):
    return ric.get_birth_date(normalize_resident_id(value))


def resident_id_is_male(value: str) -> bool:
    """The 17th character is odd for men and even for women."""
    return int(normalize_resident_id(value)[16]) % 2 == 1


def mask_resident_id(value: str) -> str:
    """110101************: the region code only.

    Digits 7–14 are the birth date, which staff see next to the number anyway, and the
    last four (sequence and check digit) are what would complete it; so the mask keeps
    neither, and the same mask serves every page, file and history row. The full number
    is shown only on request to the roles that may see it, and each request is logged."""
    if not value:
        return ""
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 6)}"
