"""Atomic file writes and folder swaps: a reader sees the old content or the new one, never half of either.

Sits beside ``model`` and ``paths`` at the bottom of the import order, so every layer of the package may use it.

Offers:
- ``FILE_MODE`` (0o644) and ``FOLDER_MODE`` (0o755): the permissions of what is written, those of an ordinary
  file and folder (fixed, not read from the umask: reading it means changing it, which races with other threads).
- ``write_atomic(path, data)``: write bytes (text is UTF-8) through a temporary sibling, fsync, rename.
- ``AtomicFile(path, *, text=False)``: the same for a file written piece by piece (streamed) or by a library that
  wants a path name: write to ``handle`` or ``tmp``, then ``commit()`` renames it into place, ``discard()``
  removes it. As a context manager it commits on success and discards on an exception.
- ``write_files(folder, files)``: write relative path -> bytes into a (staging) folder, each file fsynced.
- ``replace_folder(staging, target)``: swap a filled staging folder in place of ``target`` with two renames on
  one file system; an interruption between them is repaired by the next call (or ``restore_interrupted``).
- ``restore_interrupted(target)``: put back the previous ``target`` if a swap stopped between its renames.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any

FILE_MODE = 0o644
FOLDER_MODE = 0o755


class AtomicFile:
    """A temporary file beside ``path`` that becomes ``path`` in one rename when committed.

    ``handle`` is open for writing (binary, or UTF-8 text without newline translation when ``text``); ``tmp``
    is its path, for a writer that opens the file itself (close ``handle`` first; ``suffix`` is its file name
    ending, for a writer that looks at it). Raises ``OSError`` when
    the folder is missing or not writable.
    """

    def __init__(self, path: Path | str, *, text: bool = False, suffix: str = ".tmp") -> None:
        self.path = Path(path)
        folder = self.path.parent if str(self.path.parent) else Path(".")
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=suffix)
        self.tmp = Path(tmp)
        self.handle: IO[Any] = os.fdopen(fd, "w", encoding="utf-8", newline="") if text else os.fdopen(fd, "wb")
        self.done = False

    def commit(self) -> Path:
        """Flush and fsync the data, give it ``FILE_MODE`` and rename it over ``path``; returns ``path``."""
        try:
            if self.handle.closed:  # written by someone else through ``tmp``: sync what they wrote
                with open(self.tmp, "rb+") as synced:
                    os.fsync(synced.fileno())
            else:
                self.handle.flush()
                os.fsync(self.handle.fileno())
                self.handle.close()
            os.chmod(self.tmp, FILE_MODE)  # mkstemp makes 0600; this is an ordinary data file
            os.replace(self.tmp, self.path)
        except BaseException:
            self.discard()
            raise
        self.done = True
        return self.path

    def discard(self) -> None:
        """Close and remove the temporary file; ``path`` stays as it was. Safe to call more than once."""
        if not self.handle.closed:
            self.handle.close()
        if not self.done:
            self.tmp.unlink(missing_ok=True)
        self.done = True

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None and not self.done:
            self.commit()
        else:
            self.discard()


def write_atomic(path: Path | str, data: bytes | str) -> Path:
    """Write ``data`` (text is UTF-8) to ``path`` via a temporary file in the same folder, fsync and rename.

    A symlink at ``path`` is replaced by a real file. The file gets ``FILE_MODE``. Raises ``OSError`` (the
    temporary file is removed, ``path`` is untouched) when the folder is missing or not writable.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with AtomicFile(path) as pending:
        pending.handle.write(payload)
    return pending.path


def write_files(folder: Path | str, files: Mapping[str, bytes]) -> None:
    """Write each relative path -> bytes of ``files`` into ``folder`` (sub-folders made), fsynced, ``FILE_MODE``.

    Meant for a fresh staging folder that nobody reads yet, so each file is written in place.
    """
    folder = Path(folder)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(path, FILE_MODE)


def _backup(target: Path) -> Path:
    return target.with_name(f".{target.name}.previous")


def restore_interrupted(target: Path | str) -> None:
    """If a ``replace_folder`` stopped between its two renames, put the previous ``target`` back."""
    target = Path(target)
    backup = _backup(target)
    if backup.exists() and not target.exists():
        backup.rename(target)
    elif backup.exists():
        shutil.rmtree(backup)


def replace_folder(staging: Path | str, target: Path | str) -> None:
    """Swap the filled folder ``staging`` in place of ``target`` (which may be absent); ``staging`` is gone after.

    Two renames on one file system (``target`` to a hidden ``.<name>.previous`` sibling, ``staging`` to
    ``target``), then the previous folder is removed. ``staging`` gets ``FOLDER_MODE`` (``mkdtemp`` makes 0700).
    On a failure ``target`` is put back as it was and the error raised; ``staging`` is left to the caller.
    """
    staging, target = Path(staging), Path(target)
    restore_interrupted(target)
    os.chmod(staging, FOLDER_MODE)
    backup = _backup(target)
    try:
        if target.exists():
            target.rename(backup)
        staging.rename(target)
    except BaseException:
        restore_interrupted(target)
        raise
    if backup.exists():
        shutil.rmtree(backup)


__all__ = [
    "FILE_MODE",
    "FOLDER_MODE",
    "AtomicFile",
    "replace_folder",
    "restore_interrupted",
    "write_atomic",
    "write_files",
]
