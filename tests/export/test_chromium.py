from pathlib import Path

import pytest

from kupiansk_map.export.chromium import LAUNCH_ARGS, LOOPBACK_ONLY_ARGS, launch


class _FakeChromium:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def launch(self, **kwargs):
        self.calls.append(kwargs)
        return "browser"


class _FakePlaywright:
    def __init__(self) -> None:
        self.chromium = _FakeChromium()


def test_launch_adds_the_extra_flags_after_the_quiet_ones(tmp_path: Path):
    binary = tmp_path / "chromium"
    binary.write_text("")
    pw = _FakePlaywright()
    assert launch(pw, executable=binary, extra_args=LOOPBACK_ONLY_ARGS) == "browser"
    call = pw.chromium.calls[0]
    assert call["args"] == [*LAUNCH_ARGS, *LOOPBACK_ONLY_ARGS] and call["headless"] is True
    assert call["executable_path"] == str(binary)


def test_launch_explains_a_missing_browser_and_a_str_of_flags(tmp_path: Path):
    with pytest.raises(RuntimeError, match="scripts/install --test"):
        launch(_FakePlaywright(), executable=tmp_path / "missing")
    binary = tmp_path / "chromium"
    binary.write_text("")
    with pytest.raises(TypeError, match="not one str"):
        launch(_FakePlaywright(), executable=binary, extra_args="--no-sandbox")


def test_loopback_only_rule_keeps_the_loopback_hosts():
    (rule,) = LOOPBACK_ONLY_ARGS
    assert rule.startswith("--host-resolver-rules=MAP * ~NOTFOUND")
    assert "EXCLUDE 127.0.0.1" in rule and "EXCLUDE localhost" in rule
