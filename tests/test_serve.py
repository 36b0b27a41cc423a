import pytest

from kupiansk_map.serve import APP_PATH, streamlit_command


def test_streamlit_command_keeps_privacy_and_xsrf_settings():
    argv = streamlit_command(port=8600, headless=True)
    assert argv[1:4] == ["-m", "streamlit", "run"] and argv[4] == str(APP_PATH)
    pairs = dict(zip(argv[5::2], argv[6::2]))
    assert pairs["--server.port"] == "8600"
    assert pairs["--browser.gatherUsageStats"] == "false"
    assert pairs["--server.enableXsrfProtection"] == "true"
    assert pairs["--server.enableStaticServing"] == "true"


def test_bad_port_is_refused():
    with pytest.raises(ValueError, match="port"):
        streamlit_command(port=70000)
