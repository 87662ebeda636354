"""The WSGI entry point app servers load."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_app_servers_collect_garbage_less_often_than_pythons_default():
    code = "import gc; before = gc.get_threshold(); import newsroom.wsgi; print([before, gc.get_threshold()])"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev"},
    )
    assert result.returncode == 0, result.stderr
    assert ast.literal_eval(result.stdout) == [(700, 10, 10), (20_000, 20, 20)]
