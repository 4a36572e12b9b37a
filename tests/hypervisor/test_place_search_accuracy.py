"""Address search people trust: the right answer first for real addresses as people type them."""

from __future__ import annotations

import pytest

from tests.hypervisor import address_accuracy


@pytest.fixture
def dijon_addresses(territory) -> None:  # type: ignore[no-untyped-def]
    address_accuracy.load_gazetteer()


def test_the_list_holds_fifty_addresses() -> None:
    assert len(address_accuracy.queries()) == 50


def test_nine_in_ten_typed_addresses_find_the_right_place_first(dijon_addresses) -> None:
    found = address_accuracy.answers()
    wrong = [(answer.typed, answer.first) for answer in found if not answer.right]
    assert address_accuracy.right_first_share(found) >= address_accuracy.THRESHOLD, wrong
