#!/usr/bin/env python3
"""`make mutate`: mutation testing of the RTL against the fast test suite.

Reads the mutant list (mutate/mutants.toml), copies the committed tree
(`git archive HEAD`) into build/mutate/src, checks that every mutant's
`find` text occurs exactly once in its file (else stops, naming the
mutant), runs the fast suite on the unmutated copy at each width the
mutants need (it must pass), then,
one mutant at a time: applies it, builds the Verilated models at the
mutant's width (128 bits unless the list says `width = 512`, for logic
only the 512-bit device has; TLSNIC_SIM_MODELS, TLSNIC_DATA_W) and the
test binaries, runs the fast suite with a timeout, restores the file and
classifies the mutant:

  killed    a test failed (or the suite timed out: reported as such)
  survived  every test passed
  invalid   the mutated RTL did not build (Verilator or C++ error); not a kill

Writes build/mutate/summary.json and build/mutate/report.txt; exits 1 if
the score (killed / (mutants - invalid - survivors marked equivalent)) is
below MUTATE_MIN_SCORE percent (95). The source tree is never modified.

Environment: MUTANTS=id1,id2 (a subset), MUTATE_SUITE=t1,t2 (other test
binaries of testbench/tests, in that order, instead of SUITE), MUTATE_SEED (the TLSNIC_SEED of
every random test, default 1, so that runs are reproducible),
MUTATE_TIMEOUT (seconds of tests per mutant, default 600),
MUTATE_BUILD_TIMEOUT (seconds, default 1200), MUTATE_OUT (default
build/mutate), MUTATE_LIST (default mutate/mutants.toml), CARGO.
`scripts/mutate.py --check` (in `make lint`) only checks that the list
matches the working tree's RTL, so that an RTL change that moves a
mutant's text fails there, not at the next `make mutate`.
docs/mutate.md describes it.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Models the fast suite opens: the device at the mutant's width (`width` in
# the list: 128 unless a mutant names 512, for logic that only a 512-bit
# device has) and the GCM stream top.
MODELS = {128: "gcm_stream_top,tls_offload_top", 512: "gcm_stream_top,tls_offload_top_w512"}
# The fast suite: test binaries of tlsnic-testbench in the order run (the
# quick ones first, so that a killed mutant fails early); the first failing
# binary ends the run of a mutant.
SUITE = [
    "mutant_kills",
    "stats_rtl",
    "rx_rtl",
    "nic_rtl",
    "firmware_rtl",
    "ctx_lifecycle",
    "rx_e2e",
    "replay_capture",
    "gcm_rtl",
    "tx_rtl",
]


def env_int(name, default):
    v = os.environ.get(name, "").strip()
    return int(v) if v else default


def load_mutants(path):
    with open(path, "rb") as f:
        data = tomllib.load(f)
    muts = data.get("mutant", [])
    seen = set()
    for i, m in enumerate(muts):
        for key in ("id", "file", "find", "replace", "desc"):
            if not isinstance(m.get(key), str) or not m[key]:
                sys.exit(f"mutate: {path}: mutant #{i + 1} ({m.get('id', '?')}) has no '{key}'")
        if m["id"] in seen:
            sys.exit(f"mutate: {path}: mutant id {m['id']} appears twice")
        if m["find"] == m["replace"]:
            sys.exit(f"mutate: {path}: mutant {m['id']}: replace equals find")
        if m.setdefault("width", 128) not in MODELS:
            sys.exit(f"mutate: {path}: mutant {m['id']}: width {m['width']} (the suite runs at 128 or 512)")
        seen.add(m["id"])
    return muts


def check_list(muts, root):
    """Stops, naming them, if any mutant's find text does not occur exactly
    once in its file under `root`."""
    bad = []
    for m in muts:
        f = root / m["file"]
        if not f.is_file():
            bad.append(f"{m['id']}: {m['file']} does not exist")
            continue
        n = f.read_text().count(m["find"])
        if n != 1:
            bad.append(f"{m['id']}: its find text occurs {n} times in {m['file']} (must be once)")
    if bad:
        sys.exit("mutate: the mutant list does not match the RTL:\n  " + "\n  ".join(bad))


def sync_tree(src):
    """Make `src` the committed tree (HEAD): files whose content changed
    are rewritten, others keep their times (Cargo's fingerprints), files
    not in HEAD are removed (target/ is not inside `src`)."""
    src.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tar = Path(tmp) / "head.tar"
        with open(tar, "wb") as f:
            subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], stdout=f, check=True)
        with tarfile.open(tar) as t:
            members = [m for m in t.getmembers() if m.isfile()]
            names = set()
            for m in members:
                names.add(m.name)
                data = t.extractfile(m).read()
                dst = src / m.name
                if dst.is_file() and dst.read_bytes() == data:
                    continue
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_bytes(data)
                os.chmod(dst, m.mode & 0o777)
    for p in sorted(src.rglob("*"), reverse=True):
        rel = p.relative_to(src).as_posix()
        if p.is_file() and rel not in names:
            p.unlink()
        elif p.is_dir() and not any(p.iterdir()):
            p.rmdir()


def run(cmd, cwd, env, timeout, log):
    """Runs `cmd` in its own process group; returns (status or None on
    timeout, output). On a timeout the whole group is killed."""
    with open(log, "wb") as out:
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            rc = None
    return rc, Path(log).read_text(errors="replace")


def first_failure(text):
    """The first line that says why a test failed."""
    for pat in (r"^thread '[^']*'.* panicked at .*$", r"^---- .* stdout ----$", r"^test .* \.\.\. FAILED$"):
        m = re.search(pat, text, re.M)
        if m:
            line = m.group(0)
            # the panic message follows the location line
            rest = text[m.end():].lstrip("\n").split("\n", 1)[0]
            return (line + " " + rest).strip()[:300] if "panicked" in line else line[:300]
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1][:300] if lines else "(no output)"


class Runner:
    """Builds and runs the suite at one device width (its own target
    directory, so the widths do not rebuild each other's models)."""

    def __init__(self, out, src, seed, cargo, width):
        self.out = out
        self.src = src
        self.cargo = cargo
        self.width = width
        self.env = dict(os.environ)
        self.env["CARGO_TARGET_DIR"] = str(out / ("target" if width == 128 else f"target-w{width}"))
        self.env["TLSNIC_SIM_MODELS"] = MODELS[width]
        self.env["TLSNIC_SEED"] = str(seed)
        self.env["TLSNIC_DATA_W"] = str(width)
        self.env.pop("TLSNIC_BOARD", None)
        self.env.pop("TLSNIC_GLS_DIR", None)
        # ccache, when installed, serves the Verilated C++ files a mutant
        # leaves unchanged (the other model, the Verilator runtime).
        if shutil.which("ccache") and "CXX" not in os.environ:
            self.env["CXX"] = "ccache c++"
            self.env["CC"] = "ccache cc"
            self.env.setdefault("CCACHE_DIR", str(out / "ccache"))
            self.env.setdefault("CCACHE_BASEDIR", str(out))
            self.env.setdefault("CCACHE_NOHASHDIR", "1")
        only = [t.strip() for t in os.environ.get("MUTATE_SUITE", "").split(",") if t.strip()]
        for t in only:
            if not (src / "testbench/tests" / f"{t}.rs").exists():
                sys.exit(f"mutate: MUTATE_SUITE names {t}, which is not a test of testbench/tests")
        self.suite = only or [t for t in SUITE if (src / "testbench/tests" / f"{t}.rs").exists()]

    def build(self, log, timeout):
        cmd = [self.cargo, "test", "--release", "-p", "tlsnic-testbench", "--no-run"]
        for t in self.suite:
            cmd += ["--test", t]
        return run(cmd, self.src, self.env, timeout, log)

    def tests(self, logdir, timeout):
        """(verdict, detail): 'pass', ('fail', first failure), ('timeout', binary)."""
        t0 = time.monotonic()
        for t in self.suite:
            left = timeout - (time.monotonic() - t0)
            if left <= 0:
                return "timeout", f"{t}: not started, the suite's {timeout} s were used up"
            cmd = [self.cargo, "test", "--release", "-p", "tlsnic-testbench", "--test", t, "--", "--test-threads=2"]
            rc, text = run(cmd, self.src, self.env, left, logdir / f"{t}.log")
            if rc is None:
                return "timeout", f"{t}: still running after the suite's {timeout} s"
            if rc != 0:
                return "fail", f"{t}: {first_failure(text)}"
        return "pass", ""


def main():
    out = ROOT / os.environ.get("MUTATE_OUT", "build/mutate")
    lst = ROOT / os.environ.get("MUTATE_LIST", "mutate/mutants.toml")
    seed = env_int("MUTATE_SEED", 1)
    timeout = env_int("MUTATE_TIMEOUT", 600)
    btimeout = env_int("MUTATE_BUILD_TIMEOUT", 1200)
    min_score = float(os.environ.get("MUTATE_MIN_SCORE", "95"))
    cargo = os.environ.get("CARGO", "cargo")

    muts = load_mutants(lst)
    if sys.argv[1:] == ["--check"]:
        # make lint: the list matches the working tree's RTL, nothing run
        check_list(muts, ROOT)
        print(f"mutants: {len(muts)} in {lst.relative_to(ROOT)}, each matching its RTL once")
        return
    only = [s.strip() for s in os.environ.get("MUTANTS", "").split(",") if s.strip()]
    if only:
        unknown = [i for i in only if i not in {m["id"] for m in muts}]
        if unknown:
            sys.exit(f"mutate: MUTANTS names unknown mutants: {', '.join(unknown)}")
        muts = [m for m in muts if m["id"] in only]

    src = out / "src"
    out.mkdir(parents=True, exist_ok=True)
    logs = out / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir()
    t_start = time.monotonic()
    print(f"mutate: copying HEAD into {src.relative_to(ROOT)}", flush=True)
    sync_tree(src)

    # Every mutant must match its file exactly once (in the copy, i.e. HEAD).
    check_list(muts, src)

    widths = sorted({m["width"] for m in muts})
    runners = {w: Runner(out, src, seed, cargo, w) for w in widths}
    suite = next(iter(runners.values())).suite
    models = "; ".join(MODELS[w] for w in widths)
    print(f"mutate: {len(muts)} mutants, suite {' '.join(suite)}, TLSNIC_SEED={seed}, "
          f"models {models}, timeout {timeout} s per mutant", flush=True)

    # Sanity run on the unmutated copy, at each width the mutants need.
    sanity_s = 0.0
    for w, r in runners.items():
        t0 = time.monotonic()
        sdir = logs / ("sanity" if w == 128 else f"sanity-w{w}")
        sdir.mkdir()
        rc, text = r.build(sdir / "build.log", btimeout)
        if rc != 0:
            sys.exit(f"mutate: the unmutated tree does not build at {w} bits (see {sdir / 'build.log'})")
        tb = time.monotonic() - t0
        verdict, detail = r.tests(sdir, timeout)
        if verdict != "pass":
            sys.exit(f"mutate: the fast suite fails on the unmutated tree at {w} bits: {verdict}: {detail}")
        sanity_s += time.monotonic() - t0
        print(f"mutate: sanity run at {w} bits passed (build {tb:.0f} s, total {time.monotonic() - t0:.0f} s)",
              flush=True)

    rows = []
    for i, m in enumerate(muts, 1):
        r = runners[m["width"]]
        f = src / m["file"]
        orig = f.read_bytes()
        mdir = logs / m["id"]
        mdir.mkdir()
        t0 = time.monotonic()
        f.write_bytes(orig.decode().replace(m["find"], m["replace"], 1).encode())
        try:
            rc, text = r.build(mdir / "build.log", btimeout)
            tbuild = time.monotonic() - t0
            if rc != 0:
                verdict = "invalid"
                why = "build failed" if rc is not None else f"build timed out after {btimeout} s"
                lines_ = text.splitlines()
                hit = [ln for ln in lines_ if "%Error" in ln] or [ln for ln in lines_ if "error:" in ln]
                detail = f"{why}: {hit[0].strip()[:300]}" if hit else why
            else:
                v, detail = r.tests(mdir, timeout)
                verdict = {"pass": "survived", "fail": "killed", "timeout": "killed"}[v]
                if v == "timeout":
                    detail = "TIMEOUT " + detail
        finally:
            f.write_bytes(orig)
        secs = time.monotonic() - t0
        eq = m.get("equivalent", "")
        row = {
            "id": m["id"], "file": m["file"], "desc": m["desc"], "width": m["width"], "verdict": verdict,
            "detail": detail, "seconds": round(secs, 1), "build_seconds": round(tbuild, 1),
        }
        if eq:
            row["equivalent"] = eq
        rows.append(row)
        print(f"[{i}/{len(muts)}] {m['id']}: {verdict.upper()} ({secs:.0f} s) {detail}", flush=True)

    killed = sum(r_["verdict"] == "killed" for r_ in rows)
    survived = [r_ for r_ in rows if r_["verdict"] == "survived"]
    invalid = sum(r_["verdict"] == "invalid" for r_ in rows)
    equiv = [r_ for r_ in survived if r_.get("equivalent")]
    denom = len(rows) - invalid - len(equiv)
    # no mutant that could be scored (all invalid or equivalent): a fail
    score = 100.0 * killed / denom if denom else 0.0
    total_s = time.monotonic() - t_start
    summary = {
        "mutants": len(rows), "killed": killed, "survived": len(survived), "invalid": invalid,
        "equivalent": len(equiv), "score": round(score, 1), "min_score": min_score,
        "seed": seed, "sanity_seconds": round(sanity_s, 1), "seconds": round(total_s, 1),
        "rows": rows,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    lines = [
        f"make mutate: {len(rows)} mutants, {killed} killed, {len(survived)} survived "
        f"({len(equiv)} of them equivalent), {invalid} invalid; "
        f"score {score:.1f} % (killed / (mutants - invalid - equivalent)), minimum {min_score:g} %",
        f"TLSNIC_SEED={seed}, models {models}, sanity run {sanity_s:.0f} s, total {total_s:.0f} s",
        "",
    ]
    for r_ in rows:
        at = f" (at {r_['width']} bits)" if r_["width"] != 128 else ""
        lines.append(f"{r_['verdict'].upper():9} {r_['id']:28} {r_['seconds']:6.0f} s  {r_['file']}{at}: {r_['desc']}")
        if r_["detail"]:
            lines.append(f"{'':9} {'':28}           {r_['detail']}")
        if r_.get("equivalent"):
            lines.append(f"{'':9} {'':28}           equivalent: {r_['equivalent']}")
    (out / "report.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:2]), flush=True)
    print(f"mutate: {(out / 'report.txt').relative_to(ROOT)}, {(out / 'summary.json').relative_to(ROOT)}")
    if score < min_score:
        print(f"mutate: score {score:.1f} % is below {min_score:g} %", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
