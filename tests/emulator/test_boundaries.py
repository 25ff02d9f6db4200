"""The emulator is the other side of the wire: it imports nothing from reelgate but the renderer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import reelgate.emulator
import reelgate.render

EMULATOR = Path(reelgate.emulator.__file__).parent
RENDER = Path(reelgate.render.__file__).parent


def imported_modules(package: Path) -> set[str]:
    names: set[str] = set()
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module is not None:
                assert node.level == 0, f"{path.name}: use absolute imports"
                names.add(node.module)
    return names


def test_the_emulator_imports_only_itself_and_the_renderer_from_reelgate() -> None:
    ours = {name for name in imported_modules(EMULATOR) if name.split(".")[0] == "reelgate"}
    assert ours
    assert all(name.startswith(("reelgate.emulator", "reelgate.render")) for name in ours), ours


def test_the_renderer_needs_only_pyav_and_pillow() -> None:
    third_party = {name.split(".")[0] for name in imported_modules(RENDER)} - set(sys.stdlib_module_names)
    assert third_party <= {"av", "PIL", "reelgate", "__future__"}
    assert all(
        name.startswith("reelgate.render._")
        for name in imported_modules(RENDER)
        if name.startswith("reelgate")
    )


def test_importing_the_emulator_loads_no_library_module() -> None:
    code = (
        "import sys, reelgate.emulator; "
        "print(sorted(m for m in sys.modules if m.startswith('reelgate.') "
        "and not m.startswith(('reelgate.emulator', 'reelgate.render'))))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() in ("[]", "['reelgate._version']")


def test_public_names() -> None:
    assert reelgate.emulator.__all__ == sorted(reelgate.emulator.__all__)
    for name in ("create_app", "EmulatorConfig", "FaultRule", "run_in_thread", "EmulatedServer"):
        assert name in reelgate.emulator.__all__
    assert reelgate.render.__all__ == sorted(reelgate.render.__all__)
    for name in ("render_mp4", "render_spritesheet_jpeg", "render_thumbnail_webp", "render_scene", "Scene"):
        assert name in reelgate.render.__all__
