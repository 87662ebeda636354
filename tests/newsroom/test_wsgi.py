"""The WSGI entry point app servers load."""
import ast

from ..commands import run_manage


def test_app_servers_collect_garbage_less_often_than_pythons_default():
    code = "import gc; before = gc.get_threshold(); import newsroom.wsgi; print([before, gc.get_threshold()])"
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides={})
    assert result.returncode == 0, result.stderr
    assert ast.literal_eval(result.stdout) == [(700, 10, 10), (20_000, 20, 20)]
