"""CI runs the benchmark in quick mode so that it keeps working; timings are reported, never asserted."""

import json
import subprocess
import sys

from conftest import ROOT


def test_quick_benchmark_runs_and_reports_every_section(tmp_path, vendored_assets):
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    print(result.stdout)  # the figures, in the CI log
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results) >= {"build", "payload", "browser"}
    assert set(results["browser"]["time_to_map"]) == {"default", "overview", "kupiansk", "kursk"}
    for entry in results["browser"]["time_to_map"].values():
        assert entry["app"]["median"] > 0 and entry["standalone"]["median"] > 0 and entry["ratio"] > 0
        assert entry["ratio_to_floor"] > 0
    floor = results["browser"]["streamlit_floor"]
    assert floor["date_change"]["runs"] == results["browser"]["interaction"]["date_change"]["runs"] >= 3
    assert 0 < results["browser"]["interaction"]["date_change"]["median"] < 30  # seconds, from the page's clock
    assert set(results["browser"]["concurrency"]) == {"1", "5", "20"}
    assert results["payload"]["default_view_bytes"] > 10_000
    sources = results["sources"]  # an archive as the source, beside the built-in one (issue 12.6)
    for figure in ("time_to_map", "date_step"):
        assert sources[figure]["archive"]["median"] > 0 and sources[figure]["builtin"]["median"] > 0
        assert sources[figure]["ratio"] > 0
    assert 0 < sources["date_step"]["archive"]["median"] < 30  # seconds, from the page's clock
    playback = sources["playback"]
    assert playback["redraws"] > 0 and playback["dates_drawn_per_second"] > 0
    assert playback["end_date"] > playback["start_date"]  # the playback moved the page's date on
    assert playback["paused"]
    assert len(sources["sessions"]["rss_mb"]) >= 3 and sources["sessions"]["rss_mb"][0] > 0
    assert sources["indexed_per_server"] == 1  # the archive's index is read once per server (not a timing)
    assert "source: archive of" in result.stdout
    assert "time to map" in result.stdout
