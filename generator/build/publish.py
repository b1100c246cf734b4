"""Publishing: a new site swapped in whole, the previous one kept to build the next.

A site is built in a folder beside the output (`.site-new-*`) and swapped in
only when everything succeeded, so a failed or killed build leaves the
published site exactly as it was. Two generations are kept: the previous
site (`.site-prev`) is updated into the next one (files shared by hard
links, only changed files written), because a full hard-link copy or delete
of a 23,000-file site costs about 3 s each on this disk. After the very first
build a detached `cp -al` makes that copy; a build that starts sooner waits
for it. One build at a time per output folder: lock.py. Nothing here knows
what a page is.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from generator.infra.cache import Cache, Manifest, OutputFile
from generator.infra.files import files_in, remove


def recover(out: Path) -> None:
    """Clean up after a build that was killed: no stale staging folders, and a
    site in place (a swap is one atomic exchange where the system has it; where
    not, a kill between its two renames leaves the published site as .prev)."""
    previous = previous_of(out)
    if not out.exists() and previous.is_dir() and (previous / "index.html").is_file():
        previous.rename(out)
    for stale in out.parent.glob(f".{out.name}-new-*"):
        remove(stale)


def previous_of(out: Path) -> Path:
    """Where the site published before the current one is kept, to be updated
    into the next one (two generations: no full copy, no full delete)."""
    return out.parent / f".{out.name}-prev"


class Generation:
    """The folder the next site is built in, and putting it in place.

    The previous generation is reused when there is one: only the files that
    differ are replaced. It is first renamed, so that an interrupted build
    never leaves a half-updated folder under the name of a good one. Used as
    a context manager: a build that fails before `publish` keeps the folder
    as the previous generation (its files are checked before any is used
    again), or removes it.
    """

    def __init__(self, out: Path, store: Cache, clean: bool) -> None:
        self.out = out
        self.store = store
        self.published = False
        self.staging, self.present = _staging(out, store, clean)

    def __enter__(self) -> Generation:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.published and self.staging.exists():
            _park(self.staging, self.out)

    def publish(self, new: Manifest, unchanged: bool, record: str) -> str:
        """Make the staged site the published one and remember its manifest
        (with `record`, what it was built from); what was done, for the report.

        `unchanged`: the site on disk is byte for byte the one published, so
        nothing is swapped and the staged folder becomes the previous generation.
        """
        out, store, previous = self.out, self.store, previous_of(self.out)
        tidy(self.staging, new)
        if unchanged:
            store.remember_output(out, record, new)
            self.staging.rename(previous)
            self.published = True
            store.remember_output(previous, record, stamped(previous, new))
            return "nothing changed on disk"
        after = swap(self.staging, out)
        self.published = True
        if after is not None:  # the published site's manifest goes with it
            store.move_output(out, after)
        marked = stamped(out, new)
        store.remember_output(out, record, marked)
        if after is None and _clone_later(out):
            store.remember_output(previous, record, marked)
        return ""


def _staging(out: Path, store: Cache, clean: bool) -> tuple[Path, Manifest]:
    """A folder to build the next site in, and the files in it known to be good."""
    previous = previous_of(out)
    if not clean:
        _await_clone(previous)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        if not previous.is_dir() or clean:
            if previous.is_dir():
                remove(previous)
            return staging, {}
        _, manifest = store.output(previous)
        store.forget_output(previous)
        staging.rmdir()
        previous.rename(staging)
        present = intact(staging, manifest)
        return staging, {name: manifest[name] for name in present}
    except BaseException:  # interrupted: no staging folder left behind
        if staging.is_dir() and any(staging.iterdir()):
            _park(staging, out)
        elif staging.is_dir():
            staging.rmdir()
        raise


def intact(out: Path, manifest: Manifest) -> set[str]:
    """The files of a site that are still what the last build wrote."""
    found: set[str] = set()
    folder = str(out)
    for name, entry in manifest.items():
        try:
            stat = os.stat(f"{folder}/{name}")
        except OSError:
            continue
        if stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime:
            found.add(name)
    return found


def stamped(out: Path, files: Manifest) -> Manifest:
    """The manifest with the size and mtime of each file written in this build
    (the others, linked or left in place, keep theirs)."""
    marked: Manifest = dict(files)
    folder = str(out)
    for name, entry in files.items():
        if entry.mtime == 0:
            stat = os.stat(f"{folder}/{name}")
            marked[name] = OutputFile(entry.digest, stat.st_size, stat.st_mtime_ns, entry.key)
    return marked


def same(new: Manifest, old: Manifest) -> bool:
    """Whether two manifests describe the same files with the same bytes."""
    if new.keys() != old.keys():
        return False
    return all(new[name].digest == old[name].digest for name in new)


_CLONE = 'cp -al -- "$1" "$2" && mv -T -- "$2" "$3" || rm -rf -- "$2"; rm -f -- "$4"'


def _clone_marker(previous: Path) -> Path:
    return previous.with_name(f"{previous.name}.cloning")


def _await_clone(previous: Path, limit: float = 60) -> None:
    """Let a background copy of the site finish: waiting for it is cheaper
    than making another one."""
    marker = _clone_marker(previous)
    deadline = time.monotonic() + limit
    while marker.exists() and time.monotonic() < deadline:
        try:
            os.kill(int(marker.read_text(encoding="ascii")), 0)
        except (OSError, ValueError):
            marker.unlink(missing_ok=True)  # the copy died: a stale marker
            return
        time.sleep(0.02)


def await_copy(out: Path) -> None:
    """Let the background copy a first build of `out` started finish."""
    _await_clone(previous_of(out))


def remove_output(out: Path) -> None:
    """Remove a published folder and its previous generation, once no
    background copy writes into them any more (the preview's private folder)."""
    await_copy(out)
    for folder in (out, previous_of(out)):
        remove(folder)
    with contextlib.suppress(OSError):
        (out.parent / f".{out.name}.lock").unlink()


def _clone_later(out: Path) -> bool:
    """After a first build, make the previous generation in the background.

    The next build then updates that copy (hard links: no data is copied)
    instead of making one itself, which costs seconds at 10,000 articles.
    It appears under its name only once complete; a build that starts
    before that waits for it (a marker file names the copying process).
    """
    if shutil.which("cp") is None or shutil.which("mv") is None:
        return False
    previous = previous_of(out)
    temporary = previous.with_name(f"{previous.name}-{os.getpid()}.tmp")
    marker = _clone_marker(previous)
    try:
        child = subprocess.Popen(
            ["sh", "-c", _CLONE, "sh", str(out), str(temporary), str(previous), str(marker)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        marker.write_text(str(child.pid), encoding="ascii")
    except OSError:
        return False
    return True


def _park(staging: Path, out: Path) -> None:
    """After a failed build: keep the folder as the previous generation (its
    files are checked before any is used again), or remove it."""
    previous = previous_of(out)
    if out.is_dir() and not previous.exists():
        with contextlib.suppress(OSError):
            staging.rename(previous)
            return
    remove(staging)


def tidy(staging: Path, new: Manifest) -> None:
    """Remove what the previous generation had and this site does not (a
    folder the manifest names whole, a picture's, is kept or removed whole)."""
    for name in files_in(staging, new) - set(new):
        path = staging / name
        path.unlink()
        for parent in path.parents:
            if parent == staging:
                break
            try:
                parent.rmdir()  # only when empty
            except OSError:
                break


def swap(staging: Path, out: Path) -> Path | None:
    """Put the new site in place of the old one; the old one becomes the
    previous generation (returned), to be updated next time.

    The two folders are exchanged in one atomic step (Linux renameat2), so
    that a reader or a kill never finds the output folder missing or mixed.
    """
    os.chmod(staging, 0o755)
    if not out.exists():
        staging.rename(out)
        return None
    previous = previous_of(out)
    if previous.exists():
        remove(previous)
    if _exchange(staging, out):
        staging.rename(previous)  # the old site, now at the staging path
    else:
        out.rename(previous)
        staging.rename(out)
    return previous


_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    done = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), _RENAME_EXCHANGE)
    return bool(done == 0)
