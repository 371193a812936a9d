import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.cn import ric

from cadres.validators import (
    mask_resident_id,
    normalize_resident_id,
    resident_id_birth_date,
    validate_resident_id,
)
from tests.factories import make_id_number

VALID = make_id_number(datetime.date(1949, 12, 31), male=True, serial=7)


def with_check_digit(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def test_a_generated_number_is_valid_and_carries_the_birth_date():
    validate_resident_id(VALID)
    assert resident_id_birth_date(VALID) == datetime.date(1949, 12, 31)


@pytest.mark.parametrize(
    "body",
    [
        "310115" + "19500315" + "011",  # 浦东新区 (code from 1992), born 1950
        "440304" + "19520101" + "021",  # 深圳福田, born before the city existed
        "610926" + "19490101" + "001",  # 平利县 under its code of 2000
    ],
)
def test_codes_newer_than_the_birth_year_are_accepted(body):
    validate_resident_id(with_check_digit(body))


def test_lower_case_x_and_spaces_are_normalised():
    assert normalize_resident_id(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (VALID[:-1] + ("0" if VALID[-1] != "0" else "1"), "id_checksum"),
        (VALID[:17], "id_length"),
        (with_check_digit("110105" + "19490230" + "001"), "id_birth_date"),
        (with_check_digit("999999" + "19490101" + "001"), "id_region"),
        ("61092619491231A01" + "1", "id_format"),
        (VALID[:16] + "²X", "id_format"),  # "²".isdigit(); int() refuses it
    ],
)
def test_bad_numbers_are_rejected_with_a_reason(number, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(number)
    assert excinfo.value.code == code


def test_the_reason_reads_in_chinese():
    bad = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as excinfo:
            validate_resident_id(bad)
        assert "校验码" in excinfo.value.messages[0]


def test_masking_keeps_the_region_only():
    # Digits 7-14 are the birth date shown beside it; the last four would complete it.
    assert mask_resident_id("110105194912310021") == "110105************"
    assert mask_resident_id("") == ""
