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
        env.from_string(f"{{{{ x }}}} one-off {index}")
    assert len(_template_cache._CACHE) <= _template_cache._MAX_ENTRIES
    assert env.from_string("{{ y }}") is env.from_string("{{ y }}")


def _compiled(env, source: str) -> str:
    """What Jinja itself renders ``source`` to (the original ``from_string``, which ``install`` wraps)."""
    import jinja2

    return jinja2.Environment.from_string.__wrapped__(env, source).render()


def test_text_without_jinja_syntax_renders_as_jinja_would_without_compiling():
    import jinja2

    from kupiansk_map.web import _template_cache

    _template_cache.install()
    env = jinja2.Environment()
    for source in (
        'function (group) { kmDrawLayer(group, {"a":{"b":[1,2]}}); }\n',  # JSON: "}}" but no "{{"
        "line one\nline two\n\n",
        "",
        "x" * 50_000,
    ):
        before = len(_template_cache._CACHE)
        template = env.from_string(source)
        assert not isinstance(template, jinja2.Template)  # not compiled
        assert len(_template_cache._CACHE) == before  # and no one-off cache entry
        assert template.render(this=None, kwargs={}) == _compiled(env, source)
        assert template.module.__dict__.get("script") is None
    kept = jinja2.Environment(keep_trailing_newline=True)
    assert kept.from_string("a\n").render() == "a\n"


def test_text_with_jinja_syntax_or_carriage_returns_is_compiled():
    import jinja2

    from kupiansk_map.web import _template_cache

    _template_cache.install()
    env = jinja2.Environment()
    for source, expected in (
        ("{{ 1 + 1 }}", "2"),
        ("a {# note #}b", "a b"),
        ("{% if true %}y{% endif %}", "y"),
        ("one\r\ntwo", "one\ntwo"),  # Jinja normalises newlines
    ):
        template = env.from_string(source)
        assert isinstance(template, jinja2.Template)
        assert template.render() == expected
    with_prefix = jinja2.Environment(line_statement_prefix="#")
    assert isinstance(with_prefix.from_string("plain"), jinja2.Template)
