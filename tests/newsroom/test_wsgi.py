"""The WSGI entry point app servers load."""
import ast

from ..commands import run_manage


def test_app_servers_collect_garbage_less_often_than_pythons_default():
    code = "import gc; before = gc.get_threshold(); import newsroom.wsgi; print([before, gc.get_threshold()])"
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides={})
    assert result.returncode == 0, result.stderr
    assert ast.literal_eval(result.stdout) == [(700, 10, 10), (20_000, 20, 20)]


FREEZE_CHECK = """
import gc, io, sys
import newsroom.wsgi as wsgi
def get(path):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "testserver", "SERVER_PORT": "80",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr}
    response = wsgi.application(environ, lambda status, headers, exc_info=None: None)
    b"".join(response)
    response.close()  # as an app server does once the response is sent: request_finished
def frozen(obj):
    # The collector's generations (all gc.get_objects() lists) never hold a frozen object.
    return gc.is_tracked(obj) and not any(item is obj for item in gc.get_objects())
at_load = frozen(wsgi.application)
made_later = [1]  # a long-lived object made after the app was loaded
for _ in range(wsgi.WARM_UP_REQUESTS - 1):
    get("/robots.txt")
before_warm = frozen(made_later)
get("/robots.txt")
after_warm = frozen(made_later)
made_after = [2]
get("/robots.txt")
print([at_load, before_warm, after_warm, frozen(made_after)])
"""


def test_app_servers_freeze_long_lived_objects_at_load_and_once_after_warm_up():
    result = run_manage("shell", "--no-imports", "-c", FREEZE_CHECK, env_overrides={})
    assert result.returncode == 0, result.stderr
    # Frozen at load; what came later only at the warm-up's last request; then never again.
    assert ast.literal_eval(result.stdout.strip().splitlines()[-1]) == [True, False, True, False]
