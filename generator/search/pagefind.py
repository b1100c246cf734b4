"""Search stage: the pinned Pagefind binary, run as a command.

The binary comes from the `pagefind-bin` wheel (no download at build time).
Its Python API is not used: its `add_html_file` managed 100 pages in 10.4 s
here, while the binary indexed 10,000 in 18-19 s.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path

from generator.errors import BuildFailure


def binary() -> str:
    """The pinned Pagefind binary from the pagefind-bin wheel; BuildFailure if missing."""
    try:
        from pagefind_bin import get_executable

        return str(get_executable())
    except (ImportError, FileNotFoundError) as error:
        raise BuildFailure(
            "pagefind", f"the search indexer is not installed ({error}); run pip install -e ."
        ) from None


def version() -> str:
    """Pagefind's version and what it is run with: what its output depends on."""
    try:
        from importlib.metadata import version as installed

        found = installed("pagefind-bin")
    except Exception:
        found = "unknown"
    return f"{found} chunks {chunk_size()}"


# Files Pagefind writes that this site does not use (it has its own search
# page), and those only the first part needs (the others share its runtime).
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
_RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.")


# Pagefind groups the index's words into chunks of about this many units (a
# page holding a word counts its locations of it + 1), and a reader's query
# loads every chunk its words are in, whole. Pagefind 1.5.2 leaves a word's
# spelling variants out of the count (its issue #1211), and most Vietnamese
# syllables are variants (đại, dài, dải of `dai`), so its default of 20,000
# makes chunks several times the size it means. Measured on 10,000 articles of
# tests/bench/search.py's corpus, one index: a query's bytes 0.55-1.0x of the
# default's, the same requests (tests/bench/README.md).
CHUNK_SIZE = 4000
_CHUNK_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"


def chunk_size() -> str:
    """The chunk size Pagefind runs with: ours, unless the environment sets
    Pagefind's own variable (the search benchmark does, to build Pagefind's
    default index beside ours)."""
    return os.environ.get(_CHUNK_VARIABLE) or str(CHUNK_SIZE)


def environment() -> dict[str, str]:
    """The environment Pagefind runs in: ours, with the chunk size set."""
    return {**os.environ, _CHUNK_VARIABLE: chunk_size()}


def command(pages: Path, out: Path) -> list[str]:
    """The Pagefind run that indexes the documents under `pages` into `out`."""
    where = ["--site", str(pages), "--output-path", str(out)]
    return [binary(), *where, "--force-language", "vi", "--silent"]


def failure(output: str) -> BuildFailure:
    detail = output.strip().splitlines()
    return BuildFailure("pagefind", "search indexing failed: " + " ".join(detail[-3:]))


def trim(out: Path, primary: bool) -> None:
    """Remove what Pagefind wrote and the site does not use from a part's bundle."""
    for path in out.iterdir():
        unused = path.name.startswith(_UNUSED)
        if unused or (not primary and path.name.startswith(_RUNTIME)):
            path.unlink()


def index_part(pages: Path, out: Path, primary: bool) -> None:
    """Index the documents under `pages` into `out` (one part's bundle), in
    this process's time; raises BuildFailure when Pagefind fails."""
    result = subprocess.run(
        command(pages, out), capture_output=True, text=True, check=False, env=environment()
    )
    if result.returncode != 0:
        raise failure(result.stderr or result.stdout)
    trim(out, primary)


def address(out_path: str) -> str:
    """The address Pagefind gives a page at this output path (`2025/a/index.html` -> `/2025/a/`)."""
    return "/" + out_path.removesuffix("index.html")


_SIGNATURE = b"pagefind_dcd"


def fragment_address(data: bytes) -> str:
    """The page address a Pagefind fragment file holds; ValueError if unreadable."""
    try:
        text = gzip.decompress(data)
    except (OSError, EOFError) as error:
        raise ValueError(f"a fragment is not gzip ({error})") from None
    if not text.startswith(_SIGNATURE):
        raise ValueError("a fragment lacks Pagefind's signature")
    record = json.loads(text[len(_SIGNATURE) :])
    url = record.get("url") if isinstance(record, dict) else None
    if not isinstance(url, str):
        raise ValueError("a fragment has no address")
    return url
