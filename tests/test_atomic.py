import os
import signal
import stat
import subprocess
import sys
import textwrap

import pytest

from kupiansk_map import atomic
from kupiansk_map.atomic import AtomicFile, replace_folder, restore_interrupted, write_atomic, write_files


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def strict_umask():
    """A umask that would make new files private: the written files must still be ordinary 0644 files."""
    old = os.umask(0o077)
    yield
    os.umask(old)


def test_write_atomic_replaces_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "out.html"
    assert write_atomic(path, "one") == path
    write_atomic(path, b"two")
    assert path.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.html"]
    with pytest.raises(OSError):
        write_atomic(tmp_path / "missing" / "out.html", "x")
    assert [p.name for p in tmp_path.iterdir()] == ["out.html"]


def test_written_files_have_ordinary_permissions(tmp_path, strict_umask):
    path = tmp_path / "out.json"
    path.write_text("old")
    path.chmod(0o600)
    write_atomic(path, "new")
    assert _mode(path) == atomic.FILE_MODE == 0o644
    with AtomicFile(tmp_path / "streamed.csv", text=True) as pending:
        pending.handle.write("a,b\n")
    assert _mode(tmp_path / "streamed.csv") == 0o644
    write_files(tmp_path / "staging", {"a.txt": b"a", "sub/b.txt": b"b"})
    assert _mode(tmp_path / "staging" / "a.txt") == _mode(tmp_path / "staging" / "sub" / "b.txt") == 0o644


def test_write_atomic_replaces_a_symlink_with_a_real_file(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(other)
    write_atomic(link, "new")
    assert not link.is_symlink() and link.read_text() == "new" and other.read_text() == "keep"


def test_a_process_killed_mid_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "data.geojson"
    path.write_text("old content")
    # The child stops inside write_atomic (at its fsync, the data half-way to the disk) and is killed there.
    child = textwrap.dedent(
        f"""
        import os, sys, time
        from kupiansk_map import atomic

        def stuck(fd):
            print("writing", flush=True)
            time.sleep(60)

        os.fsync = stuck
        atomic.write_atomic({str(path)!r}, b"new " * 1_000_000)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert path.read_text() == "old content"
    leftovers = [p.name for p in tmp_path.iterdir() if p != path]
    assert len(leftovers) == 1 and leftovers[0].startswith(".data.geojson.")  # hidden, never read as data


def test_an_error_while_streaming_discards_the_temporary_file(tmp_path):
    path = tmp_path / "series.csv"
    path.write_text("old")
    with pytest.raises(RuntimeError, match="boom"), AtomicFile(path, text=True) as pending:
        pending.handle.write("half")
        raise RuntimeError("boom")
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["series.csv"]
    pending = AtomicFile(path)
    pending.handle.write(b"never")
    pending.discard()
    pending.discard()  # twice is harmless
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["series.csv"]


def test_replace_folder_swaps_and_gives_the_folder_ordinary_permissions(tmp_path, strict_umask):
    target = tmp_path / "site"
    for content in (b"one", b"two"):
        staging = tmp_path / "staging"
        staging.mkdir(mode=0o700)
        write_files(staging, {"index.html": content})
        replace_folder(staging, target)
        assert (target / "index.html").read_bytes() == content and not staging.exists()
    assert _mode(target) == atomic.FOLDER_MODE == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_replace_folder_puts_the_old_folder_back_when_the_second_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "geo"
    target.mkdir()
    (target / "a.geojson").write_text("old")
    staging = tmp_path / "staging"
    staging.mkdir()
    real_rename = type(target).rename

    def failing_rename(self, new):
        if self == staging:
            raise OSError("rename failed (injected)")
        return real_rename(self, new)

    monkeypatch.setattr(type(target), "rename", failing_rename)
    with pytest.raises(OSError, match="injected"):
        replace_folder(staging, target)
    monkeypatch.undo()
    assert (target / "a.geojson").read_text() == "old" and not (tmp_path / ".geo.previous").exists()


def test_an_interrupted_swap_is_repaired(tmp_path):
    target = tmp_path / "geo"
    backup = tmp_path / ".geo.previous"
    backup.mkdir()
    (backup / "a.geojson").write_text("old")
    restore_interrupted(target)  # died between the renames: the previous folder comes back
    assert (target / "a.geojson").read_text() == "old" and not backup.exists()
    backup.mkdir()
    restore_interrupted(target)  # died after both renames: the leftover backup goes
    assert not backup.exists() and (target / "a.geojson").exists()
