import pytest

from kupiansk_map.serve import APP_PATH, streamlit_command
from kupiansk_map.validate import MAX_FILE_BYTES


def test_streamlit_command_keeps_privacy_and_xsrf_settings():
    argv = streamlit_command(port=8600, headless=True)
    assert argv[1:4] == ["-m", "streamlit", "run"] and argv[4] == str(APP_PATH)
    pairs = dict(zip(argv[5::2], argv[6::2]))
    assert pairs["--server.port"] == "8600"
    assert pairs["--browser.gatherUsageStats"] == "false"
    assert pairs["--server.enableXsrfProtection"] == "true"
    assert pairs["--server.enableStaticServing"] == "true"
    assert int(pairs["--server.maxUploadSize"]) * 1024 * 1024 == MAX_FILE_BYTES
    assert pairs["--server.fileWatcherType"] == "none"
    assert pairs["--runner.postScriptGC"] == "false"


def test_streamlit_command_runs_another_script_with_the_same_settings(tmp_path):
    script = tmp_path / "floor.py"
    argv = streamlit_command(port=8600, headless=True, script=script)
    assert argv[4] == str(script)
    assert argv[5:] == streamlit_command(port=8600, headless=True)[5:]


def test_bad_port_is_refused():
    with pytest.raises(ValueError, match="port"):
        streamlit_command(port=70000)


def test_project_config_matches_the_command():
    import tomllib

    from conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False
