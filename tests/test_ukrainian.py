"""Ukrainian names in the nominative (pymorphy3's Ukrainian dictionaries)."""

import pytest

from letopis.ukrainian import ukrainian_normal

CASES = [
    ("Володимира Зеленського", "PER", "Володимир Зеленський"),
    ("Дмитром Кулебою", "PER", "Дмитро Кулеба"),
    ("Ентоні Блінкена", "PER", "Ентоні Блінкен"),
    ("Німеччині", "LOC", "Німеччина"),
    ("Києві", "LOC", "Київ"),  # not "Кий", the man's name
    ("України", "LOC", "Україна"),
    ("НАТО", "ORG", "НАТО"),
    ("Міністерства закордонних справ", "ORG", "Міністерство закордонних справ"),
]


@pytest.mark.parametrize("text,type_,expected", CASES)
def test_nominative(text, type_, expected):
    assert ukrainian_normal(text, type_) == expected
