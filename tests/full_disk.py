"""A real full disk for a test: a tiny tmpfs mounted for it, then unmounted.

Writing to it fails the way a full production volume does (OSError, errno ENOSPC), from the
kernel, not from a stand-in. Mounting needs root, which the CI machine has; without it the
test fails with that reason rather than passing untested.
"""

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def tiny_disk(size: str = "64k") -> Iterator[Path]:
    """A folder on a filesystem of `size` (tmpfs's units: 64k, 1m)."""
    with tempfile.TemporaryDirectory(prefix="full-disk-") as folder:
        subprocess.run(["/usr/bin/mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder], check=True)
        try:
            yield Path(folder)
        finally:
            subprocess.run(["/usr/bin/umount", folder], check=True)


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the disk under `folder`, leaving about `leave` bytes free."""
    free = _free(folder)
    # Added to, so filling twice fills more.
    with open(folder / "filler", "ab") as filler, contextlib.suppress(OSError):
        filler.write(b"\0" * max(free - leave, 0))


def _free(folder: Path) -> int:
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize
