"""Branch names in natural order: 第1 … 第9, 第10 (not 第1, 第10, 第2), and the same with
Chinese numerals (第二支部 before 第十支部, 五支部 before 十一支部).

A branch keeps its key in a column (``NaturalSortKeyField``) so that lists paginated
in SQL — the branch list, pickers, report tables, admin — order by it."""

from __future__ import annotations

import re

from django.db import models

DIGIT_WIDTH = 10
CHINESE_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "[〇零一二两三四五六七八九十百千]+"
# A Chinese numeral counts as a number after 第 or before what branches are numbered by
# (一支部, 三组); elsewhere it is part of a word (统一, 三会一课) and is left alone.
_CHINESE_NUMBER = re.compile(
    rf"(?<=第)({_NUMERAL})|({_NUMERAL})(?=(?:党?总?支部|党小组|小组|组|分会|队|团|片))"
)
_DIGITS = re.compile(r"\d+")
MAX_LENGTH = 255


def chinese_number(numeral: str) -> int:
    """十一 → 11, 二十 → 20, 一百零五 → 105; digit by digit without units: 二〇二四 → 2024."""
    if not any(char in CHINESE_UNITS for char in numeral):
        return int("".join(str(CHINESE_DIGITS[char]) for char in numeral))
    total, digit = 0, 0
    for char in numeral:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        else:
            total += (digit or 1) * CHINESE_UNITS[char]
            digit = 0
    return total + digit


def natural_sort_key(text: str) -> str:
    """``text`` with every number written as ten digits, so that comparing keys as
    strings compares the numbers by value: "第2支部" → "第0000000002支部"."""

    def arabic(match: re.Match) -> str:
        return str(chinese_number(match.group(0)))

    def padded(match: re.Match) -> str:
        return str(int(match.group(0))).zfill(DIGIT_WIDTH)

    # Full-width digits (第１０支部) are digits too: \d matches them and int() reads them.
    key = _DIGITS.sub(padded, _CHINESE_NUMBER.sub(arabic, text or ""))
    return key[:MAX_LENGTH]


class NaturalSortKeyField(models.CharField):
    """The natural sort key of another field's value, computed whenever the record is
    saved or bulk-created (not by ``QuerySet.update``, which does not save records)."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if kwargs.get("max_length") == MAX_LENGTH:
            del kwargs["max_length"]
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = natural_sort_key(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
