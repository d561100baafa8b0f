"""Audit every `alliance` command and file reader with hostile input (prints counts per class).

Each case is one command line (or one call of the documented Python API) with its own folder of
inputs. The command runs in its own process: by default a child forked from a parent that has
already imported the package (fast: no 3 s of imports per case), with ``--exec`` as a fresh
``python -m alliance`` (PYTHONPATH = this tree's src). The result is classified:

* ``clean``     exit 2, no traceback, the message names what it must (file, field, option)
* ``unnamed``   exit 2, but the message lacks a name it must carry
* ``success``   exit 0 (right for the ``ok`` cases, a silent acceptance for the others)
* ``traceback`` a Python traceback, or exit 1 from an uncaught exception
* ``hang``      no answer within the timeout (the process group is killed)
* ``partial``   a non-zero exit that left an output file (or a ``*.tmp``) behind
* ``other``     any other exit code

A case fails when its class is not the one it expects. Interrupt cases (``--interrupts``) start
real processes, send SIGINT/SIGTERM mid-run and check that no output is half-written and that a
study or a calibration resumes.

Usage: python benchmarks/cli_audit.py [--exec] [--only SUBSTR] [--interrupts] [--timeout S] [-v]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = Path(os.environ.get("ALLIANCE_AUDIT_SRC") or ROOT / "src")
"""The package audited (``ALLIANCE_AUDIT_SRC=/path/to/src`` audits another checkout, e.g. an older commit)."""
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(ROOT / "benchmarks"))

from cli_audit_cases import CASES, PY_CASES, Case, make_fixtures  # noqa: E402

TRACEBACK = "Traceback (most recent call last)"


@dataclass
class Result:
    case: Case
    cls: str
    code: int | None
    out: str
    err: str
    seconds: float
    left: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.cls not in self.case.accept


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""),
            "COLUMNS": "200", "NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def _fork_run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int | None, str, str]:
    out_f, err_f = cwd / ".stdout", cwd / ".stderr"
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child: become `alliance ARGV` in cwd
        try:
            os.setpgid(0, 0)
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(env)
            fo = os.open(out_f, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            fe = os.open(err_f, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fo, 1)
            os.dup2(fe, 2)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            sys.argv = ["alliance", *argv]
            from alliance.cli import console

            console()
        except BaseException:  # the child reports its own crash like Python would
            import traceback

            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        os._exit(0)
    t0 = time.monotonic()
    code: int | None = None
    while time.monotonic() - t0 < timeout:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            break
        time.sleep(0.02)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    read = lambda p: p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""  # noqa: E731
    return code, read(out_f), read(err_f)


def _exec_run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int | None, str, str]:
    proc = subprocess.Popen([sys.executable, "-m", "alliance", *argv], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return None, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _tmp_files(cwd: Path) -> set[str]:
    """Temporary files under ``cwd`` (os.walk: symbolic links to folders are not followed)."""
    return {os.path.relpath(os.path.join(top, f), cwd) for top, _, names in os.walk(cwd)
            for f in names if f.endswith(".tmp") or ".tmp." in f}


def classify(case: Case, code: int | None, out: str, err: str, cwd: Path,
             tmp_before: set[str] = frozenset()) -> tuple[str, list[str]]:  # type: ignore[assignment]
    left = [o for o in case.outputs if os.path.lexists(cwd / o)]
    left += sorted(_tmp_files(cwd) - tmp_before)
    text = (out + err).replace("\n", "")
    if code is None:
        return "hang", left
    if TRACEBACK in out + err:
        return "traceback", left
    if code != 0 and left:
        return "partial", left
    if code == 0:
        return "success", left
    if code == 2:
        missing = [n for n in case.names if n not in text]
        return ("unnamed" if missing else "clean"), left
    if code == 1:
        return "traceback", left
    return "other", left


def run_case(case: Case, fixtures: Path, work: Path, use_exec: bool, timeout: float) -> Result:
    cwd = work / case.name
    if cwd.exists():
        shutil.rmtree(cwd, ignore_errors=True)
    cwd.mkdir(parents=True)
    case.setup(cwd, fixtures)
    tmp_before = _tmp_files(cwd)
    subs = {"{d}": str(cwd), "{F}": str(fixtures)}
    argv = [_sub(a, subs) for a in case.argv]
    env = _env()
    env.update({k: _sub(v, subs) for k, v in case.env.items()})
    t0 = time.monotonic()
    runner = _exec_run if use_exec else _fork_run
    code, out, err = runner(argv, cwd, env, case.timeout or timeout)
    cls, left = classify(case, code, out, err, cwd, tmp_before)
    return Result(case, cls, code, out, err, time.monotonic() - t0, left)


def _sub(text: str, subs: dict[str, str]) -> str:
    for k, v in subs.items():
        text = text.replace(k, v)
    return text


def run_py_case(name: str, fn: Callable[[Path, Path], object], names: tuple[str, ...], fixtures: Path,
                work: Path) -> tuple[str, str]:
    """An API call: 'clean' if it raises the project's error (or a ValueError/TypeError, Python's
    convention for a bad argument) whose message names what it must, 'unnamed' if the message does
    not, 'success' if it returns, 'traceback' for any other exception."""
    from alliance.errors import UserError
    from alliance.model.yamlio import InputError

    cwd = work / ("py_" + name)
    cwd.mkdir(parents=True, exist_ok=True)
    try:
        fn(cwd, fixtures)
    except (UserError, InputError, ValueError, TypeError) as exc:
        msg = f"{type(exc).__name__}: {str(exc)[:200]}"
        return ("clean" if all(n in str(exc) for n in names) else "unnamed"), msg
    except Exception as exc:  # counting what escapes
        return "traceback", f"{type(exc).__name__}: {str(exc)[:200]}"
    return "success", ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exec", action="store_true", help="fresh `python -m alliance` per case (slow)")
    ap.add_argument("--only", default="", help="run the cases whose name contains this")
    ap.add_argument("--timeout", type=float, default=90.0)
    ap.add_argument("--interrupts", action="store_true", help="also run the SIGINT/SIGTERM cases")
    ap.add_argument("--keep", type=Path, default=None, help="keep the case folders here")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every case")
    args = ap.parse_args()
    os.environ.update({"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="cli_audit_"))
    fixtures, work = tmp / "fixtures", tmp / "cases"
    t0 = time.perf_counter()
    make_fixtures(fixtures)
    if not args.exec:
        import alliance.cli  # noqa: F401 - imported once, before the children fork
    print(f"fixtures in {time.perf_counter() - t0:.1f} s ({'exec' if args.exec else 'fork'} mode, "
          f"Python {sys.version.split()[0]})", flush=True)
    results = []
    for c in CASES:
        if args.only not in c.name:
            continue
        r = run_case(c, fixtures, work, args.exec, args.timeout)
        results.append(r)
        if args.verbose or r.failed:
            tail = (r.err.strip().splitlines() or r.out.strip().splitlines() or [""])[-1][:220]
            mark = "FAIL" if r.failed else "ok  "
            print(f"{mark} {r.case.name:42s} {r.cls:9s} exit {r.code} {r.seconds:5.1f}s "
                  f"{'left ' + ','.join(r.left) + ' ' if r.left else ''}| {tail}", flush=True)
    by_cls = Counter(r.cls for r in results)
    failures = [r for r in results if r.failed]
    py = [(n, *run_py_case(n, fn, names, fixtures, work), want) for n, fn, names, want in PY_CASES
          if args.only in n]
    for n, cls, msg, want in py:
        if args.verbose or cls not in want:
            print(f"{'FAIL' if cls not in want else 'ok  '} py:{n:39s} {cls:9s} | {msg}", flush=True)
    inter: list[tuple[str, bool, str]] = []
    if args.interrupts:
        from cli_audit_cases import INTERRUPTS

        for name, fn in INTERRUPTS:
            if args.only in name:
                try:
                    ok, detail = fn(work / ("int_" + name), fixtures, _env())
                except Exception as exc:  # the case's own checks failed: report it, go on
                    ok, detail = False, f"{type(exc).__name__}: {str(exc)[:200]}"
                inter.append((name, ok, detail))
                print(f"{'ok  ' if ok else 'FAIL'} int:{name:38s} | {detail}", flush=True)
    print(f"\n{len(results)} command-line cases in {time.perf_counter() - t0:.0f} s:")
    for cls in ("clean", "unnamed", "success", "traceback", "hang", "partial", "other"):
        print(f"  {cls:10s} {by_cls.get(cls, 0):4d}")
    print(f"  failing    {len(failures):4d} (class not the expected one)")
    py_c = Counter(c for _, c, _, _ in py)
    print(f"{len(py)} Python API cases: " + ", ".join(f"{k} {v}" for k, v in sorted(py_c.items()))
          + f"; failing {sum(c not in w for _, c, _, w in py)}")
    if inter:
        print(f"{len(inter)} interrupt cases: failing {sum(not ok for _, ok, _ in inter)}")
    if args.keep is None:
        shutil.rmtree(tmp, ignore_errors=True)
    bad = len(failures) + sum(c not in w for _, c, _, w in py) + sum(not ok for _, ok, _ in inter)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
