"""Snapshot tests of every scene (the same scenes as `make screenshots`).

Review a changed SVG before accepting it: `.venv/bin/pytest tests/test_snapshots.py --snapshot-update`.
"""

import pytest

from scenes import SCENES, scene_app, shown, stable_sandbox


@pytest.mark.parametrize("name", sorted(SCENES))
def test_scene(name, snap_compare, tmp_path):
    scene = SCENES[name]
    with stable_sandbox(tmp_path / "sandbox", **scene.sandbox) as server:
        assert snap_compare(
            scene_app(scene, server), terminal_size=scene.size, run_before=lambda pilot: shown(scene, pilot)
        )
