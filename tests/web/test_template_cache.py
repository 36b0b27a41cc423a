import subprocess
import sys

from conftest import ROOT

SCRIPT = """
import re, sys
sys.path.insert(0, {root!r})
if {cached}:
    from kupiansk_map.web import _template_cache
    _template_cache.install()
from kupiansk_map.web.render import build_map, base_map
from kupiansk_map.layers.store import load_layers
from kupiansk_map.web.views import DEFAULT_STATE
html = build_map(load_layers().layers, DEFAULT_STATE).get_root().render()
print(re.sub(r"_[0-9a-f]{{32}}", "_ID", html))
"""


def _render(cached: bool) -> str:
    # render.py installs the cache on import, so the uncached run patches it back out first.
    code = SCRIPT.format(root=str(ROOT), cached=cached)
    if not cached:
        code = (
            "import jinja2\n_orig = jinja2.Environment.from_string\n"
            "from kupiansk_map.web import _template_cache\n"
            "_template_cache.install = lambda: None\n"
        ) + code
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_shared_templates_render_the_same_map():
    assert _render(cached=True) == _render(cached=False)


def test_install_is_idempotent():
    import jinja2

    from kupiansk_map.web import _template_cache

    _template_cache.install()
    first = jinja2.Environment.from_string
    _template_cache.install()
    assert jinja2.Environment.from_string is first
    env = jinja2.Environment()
    assert env.from_string("{{ x }}") is env.from_string("{{ x }}")
    assert env.from_string("{{ x }}").render(x=1) == "1"


def test_the_cache_stays_bounded_and_keeps_working():
    import jinja2

    from kupiansk_map.web import _template_cache

    _template_cache.install()
    env = jinja2.Environment()
    for index in range(_template_cache._MAX_ENTRIES + 50):
        env.from_string(f"one-off {index}")
    assert len(_template_cache._CACHE) <= _template_cache._MAX_ENTRIES
    assert env.from_string("{{ y }}") is env.from_string("{{ y }}")
