"""The type picker (`t` on the list): j and k move like down and up, as everywhere else in the app."""

from __future__ import annotations

import pytest

from mediatui.tui.screens.type_filter_modal import TypeFilterModal
from tui_helpers import burst, make_app, settle, status


@pytest.mark.smoke
async def test_j_and_k_move_in_the_type_picker(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TypeFilterModal)
        await pilot.press("j", "j", "j", "k")  # from "every type": down three, up one
        await pilot.press("enter")
        await settle(pilot)
        assert "type url" in status(app)


async def test_j_and_k_typed_with_t_in_one_read_land_in_the_type_picker(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "tjjjk\r")
        await settle(pilot)
        assert "type url" in status(app)
