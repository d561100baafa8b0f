"""The cases of ``benchmarks/cli_audit.py``: hostile inputs for every command and file reader.

Each ``Case`` is an argument list (``{d}`` is the case's own folder, ``{F}`` the shared fixtures:
a good scenario, a posterior, a small study, two episodes and a calibration checkpoint), the
files it writes first, the names its error message must carry and the classes it accepts.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ERR = frozenset({"clean"})
OK = frozenset({"success"})
EITHER = frozenset({"clean", "success"})

GOOD = """\
name: good
description: a small scenario for the audit
extends: baseline
horizon_months: 12
replications: 4
uncertainties:
  hegemon.threshold.economic: {dist: uniform, low: 0.6, high: 0.8}
"""
PLAIN = "name: plain\ndescription: a plain scenario\nextends: baseline\nhorizon_months: 6\nreplications: 2\n"


def _nothing(d: Path, F: Path) -> None:
    pass


@dataclass
class Case:
    name: str
    argv: list[str]
    setup: Callable[[Path, Path], None] = _nothing
    names: tuple[str, ...] = ()
    accept: frozenset[str] = ERR
    outputs: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None


def files(**content: str | bytes | None) -> Callable[[Path, Path], None]:
    """Setup writing files (keys: relative paths with '__' for '/'; None makes a folder)."""

    def setup(d: Path, F: Path) -> None:
        for rel, text in content.items():
            p = d / rel.replace("__", "/").replace("_DOT_", ".")
            p.parent.mkdir(parents=True, exist_ok=True)
            if text is None:
                p.mkdir(exist_ok=True)
            elif isinstance(text, bytes):
                p.write_bytes(text)
            else:
                p.write_bytes(text.replace("{F}", str(F)).encode("utf-8"))

    return setup


def chain(*steps: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    def setup(d: Path, F: Path) -> None:
        for s in steps:
            s(d, F)
    return setup


def symlinks(**links: str) -> Callable[[Path, Path], None]:
    def setup(d: Path, F: Path) -> None:
        for name, target in links.items():
            os.symlink(target.replace("{F}", str(F)), d / name.replace("_DOT_", "."))
    return setup


def copy_study(edit: Callable[[Path], None]) -> Callable[[Path, Path], None]:
    def setup(d: Path, F: Path) -> None:
        shutil.copytree(F / "study", d / "st", symlinks=True)
        edit(d / "st")
    return setup


def copy_eps(edit: Callable[[Path], None] = lambda p: None) -> Callable[[Path, Path], None]:
    def setup(d: Path, F: Path) -> None:
        shutil.copytree(F / "eps", d / "eps")
        edit(d / "eps")
    return setup


def make_fixtures(F: Path) -> None:
    """The good inputs every case starts from (made in-process with the library)."""
    import numpy as np

    from alliance.model.posterior import Posterior, episode_hash, save_posterior
    from alliance.study.batch import run_batch

    shutil.rmtree(F, ignore_errors=True)
    F.mkdir(parents=True)
    (F / "good.yaml").write_text(GOOD, encoding="utf-8")
    (F / "plain.yaml").write_text(PLAIN, encoding="utf-8")
    names = ["balancer.initial_belief", "partner.patience_months"]
    post = Posterior(names, np.array([[0.55, 4.0], [0.7, 9.0]]), np.array([0.5, 0.5]), "abc", {"seed": 1})
    save_posterior(post, F / "post.json")
    run_batch([str(F / "good.yaml")], samples=2, replications=2, out=F / "study", seed=1,
              chunk_runs=2, progress=False)
    (F / "eps").mkdir(exist_ok=True)
    for name in ("k1_kazakhstan_2006", "b1_belarus_2009"):
        shutil.copy(ROOT / "scenarios" / "episodes" / f"{name}.yaml", F / "eps")
    digest = episode_hash(sorted((F / "eps").glob("*.yaml")))
    (F / "post_eps.json").write_text(json.dumps({**post.to_json(), "episode_hash": digest}), encoding="utf-8")
    from alliance.analysis.calibrate import calibrate
    from alliance.analysis.defaults import Settings
    from alliance.analysis.hindcast import EpisodeSet

    eps = EpisodeSet.load([F / "eps"])
    settings = Settings(particles=4, replications=1, generations=1, quantile=0.5, max_batches=6, seed=3)
    calibrate(eps, settings, names=["balancer.initial_belief"], checkpoint=F / "ck.json")


CAL = ["calibrate", "{d}/eps", "--out", "{d}/p.json", "--particles", "4", "-r", "1", "--generations", "1",
       "--seed", "3", "--param", "balancer.initial_belief"]


def _ck(edit: Callable[[dict], object]) -> Callable[[Path, Path], None]:
    """A copy of the fixture checkpoint as {d}/p.checkpoint.json, edited (the edit may return text)."""
    def setup(d: Path, F: Path) -> None:
        state = json.loads((F / "ck.json").read_text(encoding="utf-8"))
        got = edit(state)
        text = got if isinstance(got, (str, bytes)) else json.dumps(state)
        p = d / "p.checkpoint.json"
        p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return setup


def _manifest(edit: Callable[[dict], object]) -> Callable[[Path], None]:
    def fn(st: Path) -> None:
        m = json.loads((st / "manifest.json").read_text(encoding="utf-8"))
        got = edit(m)
        text = got if isinstance(got, (str, bytes)) else json.dumps(m)
        (st / "manifest.json").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return fn


def _first_chunk(st: Path) -> Path:
    return sorted((st / "summary").glob("part-*.parquet"))[0]


def _truncate(p: Path, n: int | None = None) -> None:
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2 if n is None else n])


def _dir_for(p: Path) -> None:
    p.unlink()
    p.mkdir()


RUN = ["-r", "2", "--months", "6", "--out", "{d}/o.csv"]
RUN_OUT = ("o.csv", "o_summary.csv")
DEEP_YAML = "name: deep\ndescription: x\nactors: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_JSON = "[" * 200_000 + "]" * 200_000
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True))


def _scenario_cases() -> list[Case]:
    """Scenario files through `alliance run FILE` (and `check`)."""
    s = []
    add = s.append
    plain = PLAIN
    add(Case("scn_missing", ["run", "{d}/nope.yaml", *RUN], names=("nope.yaml",), outputs=RUN_OUT))
    add(Case("scn_directory", ["run", "{d}/dir.yaml", *RUN], files(dir_DOT_yaml=None), ("dir.yaml",), outputs=RUN_OUT))
    add(Case("scn_symlink_loop", ["run", "{d}/a.yaml", *RUN], symlinks(a_DOT_yaml="b.yaml", b_DOT_yaml="a.yaml"),
             ("a.yaml",), outputs=RUN_OUT))
    add(Case("scn_dangling_link", ["run", "{d}/a.yaml", *RUN], symlinks(a_DOT_yaml="gone.yaml"), ("a.yaml",),
             outputs=RUN_OUT))
    add(Case("scn_empty", ["run", "{d}/e.yaml", *RUN], files(e_DOT_yaml=""), ("e.yaml",), outputs=RUN_OUT))
    add(Case("scn_only_bom", ["run", "{d}/e.yaml", *RUN], files(e_DOT_yaml=b"\xef\xbb\xbf"), ("e.yaml",),
             outputs=RUN_OUT))
    add(Case("scn_bom_good", ["run", "{d}/plain.yaml", *RUN], files(plain_DOT_yaml=b"\xef\xbb\xbf" + plain.encode()),
             accept=OK))
    add(Case("scn_crlf_good", ["run", "{d}/plain.yaml", *RUN], files(plain_DOT_yaml=plain.replace("\n", "\r\n")),
             accept=OK))
    add(Case("scn_cr_only", ["run", "{d}/plain.yaml", *RUN], files(plain_DOT_yaml=plain.replace("\n", "\r")),
             accept=OK))
    add(Case("scn_latin1", ["run", "{d}/l.yaml", *RUN], files(l_DOT_yaml="name: l\ndescription: caf\xe9\n".encode("latin-1")),
             ("l.yaml", "line 2"), outputs=RUN_OUT))
    add(Case("scn_utf16", ["run", "{d}/u.yaml", *RUN], files(u_DOT_yaml=plain.encode("utf-16")), ("u.yaml",),
             outputs=RUN_OUT))
    add(Case("scn_nul_byte", ["run", "{d}/n.yaml", *RUN], files(n_DOT_yaml="name: n\ndescription: a\x00b\n"),
             ("n.yaml",), outputs=RUN_OUT))
    add(Case("scn_tabs", ["run", "{d}/t.yaml", *RUN],
             files(t_DOT_yaml="name: t\ndescription: t\nactors:\n\tbalancer: {name: K}\n"), ("t.yaml", "line"),
             outputs=RUN_OUT))
    add(Case("scn_anchor_alias", ["run", "{d}/plain.yaml", *RUN], files(plain_DOT_yaml=plain + "seed: &s 5\nx_note: *s\n"),
             ("plain.yaml", "x_note"), outputs=RUN_OUT))
    add(Case("scn_merge_key", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain + "actors:\n  partner: &p {name: NATO}\n  hegemon:\n    <<: *p\n    name: Russia\n"),
             accept=OK))
    add(Case("scn_merge_key_duplicate_own", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain + "actors:\n  partner: &p {name: NATO}\n  hegemon:\n    <<: *p\n    name: A\n    name: B\n"),
             ("plain.yaml", "line 11", "name"), outputs=RUN_OUT))
    add(Case("scn_duplicate_key", ["run", "{d}/plain.yaml", *RUN], files(plain_DOT_yaml=plain + "seed: 1\nseed: 2\n"),
             ("plain.yaml", "line 7", "seed"), outputs=RUN_OUT))
    add(Case("scn_deep_nesting", ["run", "{d}/deep.yaml", *RUN], files(deep_DOT_yaml=DEEP_YAML), ("deep.yaml",),
             outputs=RUN_OUT))
    add(Case("scn_huge_file", ["run", "{d}/h.yaml", *RUN], files(h_DOT_yaml=plain + "#" + "x" * 1_100_000 + "\n"),
             ("h.yaml",), outputs=RUN_OUT))
    add(Case("scn_alias_bomb", ["run", "{d}/b.yaml", *RUN], files(b_DOT_yaml=BOMB), ("b.yaml",), outputs=RUN_OUT))
    add(Case("scn_python_tag", ["run", "{d}/p.yaml", *RUN],
             files(p_DOT_yaml="name: !!python/object/apply:os.system [echo hi]\n"), ("p.yaml",), outputs=RUN_OUT))
    add(Case("scn_two_documents", ["run", "{d}/plain.yaml", *RUN], files(plain_DOT_yaml=plain + "---\n" + plain),
             ("plain.yaml",), outputs=RUN_OUT))
    add(Case("scn_top_level_list", ["run", "{d}/l.yaml", *RUN], files(l_DOT_yaml="- 1\n- 2\n"), ("l.yaml",),
             outputs=RUN_OUT))
    add(Case("scn_null_key", ["run", "{d}/plain.yaml", *RUN], files(plain_DOT_yaml=plain + "~: 1\n"), ("plain.yaml",),
             outputs=RUN_OUT))
    add(Case("scn_int_key", ["run", "{d}/plain.yaml", *RUN], files(plain_DOT_yaml=plain + "7: 1\n"), ("plain.yaml",),
             outputs=RUN_OUT))
    add(Case("scn_list_key", ["run", "{d}/plain.yaml", *RUN], files(plain_DOT_yaml=plain + "? [1, 2]\n: 3\n"),
             ("plain.yaml",), outputs=RUN_OUT))
    add(Case("scn_name_list", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain.replace("name: plain", "name: [1, 2]")), ("plain.yaml", "name"), outputs=RUN_OUT))
    add(Case("scn_horizon_huge", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain.replace("horizon_months: 6", "horizon_months: 1000000000")),
             ("plain.yaml", "horizon_months"), outputs=RUN_OUT))
    add(Case("scn_horizon_negative", ["run", "{d}/plain.yaml", "-r", "2", "--out", "{d}/o.csv"],
             files(plain_DOT_yaml=plain.replace("horizon_months: 6", "horizon_months: -5")),
             ("plain.yaml", "horizon_months"), outputs=RUN_OUT))
    add(Case("scn_horizon_float", ["run", "{d}/plain.yaml", "-r", "2", "--out", "{d}/o.csv"],
             files(plain_DOT_yaml=plain.replace("horizon_months: 6", "horizon_months: 6.5")),
             ("plain.yaml", "horizon_months"), outputs=RUN_OUT))
    add(Case("scn_horizon_bool", ["run", "{d}/plain.yaml", "-r", "2", "--out", "{d}/o.csv"],
             files(plain_DOT_yaml=plain.replace("horizon_months: 6", "horizon_months: true")),
             ("plain.yaml", "horizon_months"), outputs=RUN_OUT))
    add(Case("scn_replications_huge", ["run", "{d}/plain.yaml", "--out", "{d}/o.csv"],
             files(plain_DOT_yaml=plain.replace("replications: 2", "replications: 1000000000")),
             ("plain.yaml", "replications"), outputs=RUN_OUT))
    add(Case("scn_seed_negative", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain + "seed: -1\n"), ("plain.yaml", "seed"), outputs=RUN_OUT))
    add(Case("scn_seed_huge", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain + "seed: 123456789012345678901234567890\n"), ("plain.yaml", "seed"),
             outputs=RUN_OUT))
    add(Case("scn_seed_2_64", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain + "seed: 18446744073709551616\n"), ("plain.yaml", "seed"), accept=EITHER,
             outputs=RUN_OUT))
    add(Case("scn_event_month_beyond", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain + "events:\n  - {month: 99, kind: request, domain: energy, level: 0.5}\n"),
             ("plain.yaml", "events"), outputs=RUN_OUT))
    add(Case("scn_event_month_string", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain + "events:\n  - {month: 'three', kind: request, domain: energy, level: 0.5}\n"),
             ("plain.yaml", "month"), outputs=RUN_OUT))
    add(Case("scn_events_mapping", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain + "events: {month: 3}\n"), ("plain.yaml", "events"), outputs=RUN_OUT))
    add(Case("scn_extends_self", ["run", "{d}/s.yaml", *RUN],
             files(s_DOT_yaml="name: s\ndescription: s\nextends: s.yaml\n"), ("s.yaml", "extends"), outputs=RUN_OUT))
    add(Case("scn_extends_directory", ["run", "{d}/s.yaml", *RUN],
             files(s_DOT_yaml="name: s\ndescription: s\nextends: sub.yaml\n", sub_DOT_yaml=None),
             ("s.yaml", "extends"), outputs=RUN_OUT))
    add(Case("scn_extends_loop_link", ["run", "{d}/s.yaml", *RUN],
             chain(files(s_DOT_yaml="name: s\ndescription: s\nextends: a.yaml\n"),
                   symlinks(a_DOT_yaml="b.yaml", b_DOT_yaml="a.yaml")), ("s.yaml", "extends"), outputs=RUN_OUT))
    add(Case("scn_extends_latin1", ["run", "{d}/s.yaml", *RUN],
             files(s_DOT_yaml="name: s\ndescription: s\nextends: p.yaml\n",
                   p_DOT_yaml="name: p\ndescription: caf\xe9\n".encode("latin-1")), ("p.yaml",), outputs=RUN_OUT))
    add(Case("scn_extends_absolute_missing", ["run", "{d}/s.yaml", *RUN],
             files(s_DOT_yaml="name: s\ndescription: s\nextends: /no/such/place.yaml\n"), ("s.yaml", "extends"),
             outputs=RUN_OUT))
    add(Case("scn_extends_empty", ["run", "{d}/s.yaml", *RUN],
             files(s_DOT_yaml="name: s\ndescription: s\nextends: ''\n"), ("s.yaml", "extends"), outputs=RUN_OUT))
    add(Case("scn_long_line", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain.replace("description: a plain scenario", "description: " + "y" * 900_000)),
             ("plain.yaml", "description"), outputs=RUN_OUT))
    add(Case("scn_lone_surrogate", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain.replace("description: a plain scenario", 'description: "bad \\ud800 text"')),
             ("plain.yaml",), accept=EITHER, outputs=RUN_OUT))
    add(Case("scn_markup_description", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain.replace("description: a plain scenario", "description: 'a [/bold] b [link=x]'")),
             accept=OK))
    add(Case("scn_markup_in_error", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain + "seed: '[/x] [bold]'\n"), ("plain.yaml", "seed"), outputs=RUN_OUT))
    add(Case("scn_markup_unknown_key", ["run", "{d}/plain.yaml", *RUN],
             files(plain_DOT_yaml=plain + "'[/x]': 1\n"), ("plain.yaml",), outputs=RUN_OUT))
    add(Case("scn_markup_name_in_path", ["run", "{d}/[red]x.yaml", *RUN], names=("x.yaml",), outputs=RUN_OUT))
    add(Case("scn_markup_close_in_path", ["run", "{d}/a[/x]b.yaml", *RUN], names=("b.yaml",), outputs=RUN_OUT))
    add(Case("scn_ref_empty", ["run", "", *RUN], names=("scenario",), outputs=RUN_OUT))
    add(Case("scn_ref_blank", ["run", "   ", *RUN], names=("scenario",), outputs=RUN_OUT))
    add(Case("scn_ref_long", ["run", "x" * 5000, *RUN], names=("scenario",), outputs=RUN_OUT))
    add(Case("scn_ref_folder", ["run", "{d}", *RUN], names=("scenario",), outputs=RUN_OUT))
    add(Case("scn_ref_dash", ["run", "-", *RUN], names=("scenario",), outputs=RUN_OUT))
    add(Case("scn_ref_non_utf8", ["run", os.fsdecode(b"\xff\xfe.yaml"), *RUN], names=(".yaml",), outputs=RUN_OUT))
    def long_chain(d: Path, F: Path, n: int = 1500) -> None:
        for i in range(n):
            parent = f"extends: c{i + 1}.yaml\n" if i + 1 < n else "extends: baseline\n"
            (d / f"c{i}.yaml").write_text(f"name: c{i}\ndescription: a chained scenario\n{parent}", encoding="utf-8")
    add(Case("scn_extends_chain_1500", ["run", "{d}/c0.yaml", *RUN], long_chain, ("c31.yaml", "extends"), outputs=RUN_OUT))
    add(Case("scn_env_dir_is_file", ["run", "baseline", *RUN], files(f="x"), ("baseline",), env={"ALLIANCE_SCENARIOS": "{d}/f"},
             outputs=RUN_OUT))
    add(Case("scn_check_many", ["check", "{d}/a.yaml", "{d}/nope.yaml"], files(a_DOT_yaml=plain),
             ("nope.yaml",)))
    add(Case("scn_env_dir_missing", ["scenarios"], env={"ALLIANCE_SCENARIOS": "{d}/none"}, accept=EITHER))
    add(Case("scn_env_dir_broken", ["scenarios"], files(sc__bad_DOT_yaml="name: bad\ndescription: [\n"),
             ("bad.yaml",), env={"ALLIANCE_SCENARIOS": "{d}/sc"}))
    return s


def _set_cases() -> list[Case]:
    s = []
    base = ["run", "{F}/plain.yaml", *RUN]
    for name, item, words in [
        ("no_equals", "hegemon.threshold.economic", ("--set",)),
        ("nan", "hegemon.threshold.economic=nan", ("--set", "hegemon.threshold.economic")),
        ("inf", "hegemon.threshold.economic=inf", ("--set", "hegemon.threshold.economic")),
        ("overflow", "hegemon.threshold.economic=1e400", ("--set", "hegemon.threshold.economic")),
        ("empty_value", "hegemon.threshold.economic=", ("--set", "hegemon.threshold.economic")),
        ("empty_key", "=1", ("--set",)),
        ("text", "hegemon.threshold.economic=abc", ("--set", "hegemon.threshold.economic")),
        ("unknown", "hegemon.treshold.economic=0.5", ("--set", "treshold")),
        ("out_of_range", "hegemon.threshold.economic=7", ("--set", "hegemon.threshold.economic")),
        ("markup_key", "[/x]=1", ("--set",)),
        ("markup_value", "hegemon.threshold.economic=[/x]", ("--set",)),
        ("digits", "seed=" + "9" * 5000, ("--set",)),
        ("hex", "hegemon.threshold.economic=0x1p-1", ("--set",)),
        ("non_utf8", os.fsdecode(b"hegemon.threshold.economic=\xff"), ("--set",)),
        ("underscore", "partner.patience_months=1_0", ("--set",)),
    ]:
        s.append(Case(f"set_{name}", [*base, "--set", item], names=words, outputs=RUN_OUT,
                      accept=EITHER if name in ("underscore", "hex") else ERR))
    s.append(Case("set_check_nan", ["check", "--set", "hegemon.threshold.economic=nan"], names=("--set",)))
    s.append(Case("set_map_nan", ["map", "{F}/plain.yaml", "--x", "hegemon.threshold.economic", "--y",
                                  "partner.patience_months", "--set", "balancer.initial_belief=nan",
                                  "--out", "{d}/m"], names=("--set",), outputs=("m",)))
    return s


def m_base() -> list[str]:
    return ["map", "{F}/plain.yaml", "--x", "hegemon.threshold.economic", "--y", "partner.patience_months",
            "-r", "2", "--grid", "2x2", "--x-range", "0.6:0.8", "--out", "{d}/m"]


def _option_cases() -> list[Case]:
    s = []
    add = s.append
    sc = "{F}/plain.yaml"
    for name, opts, words in [
        ("r_zero", ["-r", "0"], ("replications",)), ("r_negative", ["-r", "-1"], ("replications",)),
        ("r_text", ["-r", "abc"], ("replications",)), ("r_huge", ["-r", "99999999999999999999"], ("replications",)),
        ("months_zero", ["--months", "0"], ("months",)), ("seed_negative", ["--seed", "-1"], ("seed",)),
        ("seed_2_64", ["--seed", "18446744073709551616"], ("seed",)),
        ("seed_huge", ["--seed", "9" * 40], ("seed",)),
        ("replay_huge", ["--replay", "99999999999999999999"], ("replay",)),
        ("replay_2_63", ["--replay", str(2**63)], ("replay",)),
    ]:
        add(Case(f"opt_run_{name}", ["run", sc, "--out", "{d}/o.csv", *opts], names=words, outputs=RUN_OUT,
                 accept=EITHER if name.startswith("seed_2_64") else ERR))
    add(Case("opt_run_out_is_dir", ["run", sc, *RUN[:-2], "--out", "{d}/o.csv"], files(o_DOT_csv=None), ("o.csv",)))
    add(Case("opt_run_out_bad_suffix", ["run", sc, "--out", "{d}/o.txt"], names=("o.txt",), outputs=("o.txt",)))
    add(Case("opt_run_out_empty", ["run", sc, "--out", ""], names=("--out",)))
    add(Case("opt_run_out_parent_file", ["run", sc, "--out", "{d}/f/o.csv"], files(f="x"), ("o.csv",)))
    add(Case("opt_run_summary_is_dir", ["run", sc, *RUN], files(o_summary_DOT_csv=None), ("o_summary.csv",),
             outputs=("o.csv",)))
    add(Case("opt_run_chart_is_dir", ["run", sc, "-r", "2", "--chart", "{d}/c.html"], files(c_DOT_html=None), ("c.html",)))
    add(Case("opt_run_chart_and_out_same", ["run", sc, "-r", "2", "--out", "{d}/o.csv", "--chart", "{d}/o.csv"],
             names=("o.csv",), outputs=RUN_OUT))
    add(Case("opt_run_out_dangling_link", ["run", sc, *RUN], symlinks(o_DOT_csv="{d}/nowhere/x.csv"), accept=EITHER))
    add(Case("opt_run_out_name_too_long", ["run", sc, "-r", "2", "--out", "{d}/" + "x" * 300 + ".csv"],
             names=("xxxx",)))
    add(Case("opt_run_out_parent_link_loop", ["run", sc, "-r", "2", "--out", "{d}/a/o.csv"],
             symlinks(a="b", b="a"), ("a/o.csv", "symbolic link")))
    add(Case("opt_compare_out_link_loop", ["compare", "{F}/study", "--out", "{d}/a/c"], symlinks(a="b", b="a"),
             ("a/c",)))
    add(Case("opt_map_every_cell_invalid", [*m_base()[:-4], "--out", "{d}/m"], names=("cross-field",), outputs=("m",)))
    add(Case("opt_map_scheduler_unreachable", [*m_base(), "--scheduler", "tcp://127.0.0.1:9"], names=("scheduler",),
             outputs=("m",), timeout=120))
    for cmd in (["report", "{F}/good.yaml", "--out", "{d}/r.html"], ["compare", "{F}/good.yaml", "--out", "{d}/c"],
                ["results", "schema", "{F}/good.yaml"], ["batch", "--resume", "{F}/good.yaml", "--no-progress"]):
        add(Case(f"opt_{cmd[0]}_file_as_study", cmd, names=("good.yaml",), outputs=("r.html", "c")))
    add(Case("opt_batch_same_scenario_twice", ["batch", "{F}/good.yaml", "{F}/good.yaml", "-n", "2", "-r", "2",
                                               "--out", "{d}/st", "--no-progress"], names=("good",), accept=EITHER))
    add(Case("opt_run_memory", ["run", sc, "-r", "1000000", "--months", "600", "--out", "{d}/o.csv"],
             names=("batch",), outputs=RUN_OUT))
    # batch
    b = ["batch", "{F}/good.yaml", "--out", "{d}/st", "--no-progress", "-n", "2", "-r", "2"]
    for name, opts, words, acc in [
        ("n_zero", ["-n", "0"], ("samples",), ERR), ("ok", [], (), OK), ("n_negative", ["-n", "-3"], ("samples",), ERR),
        ("n_huge", ["-n", "100000000000"], ("samples",), ERR), ("r_zero", ["-r", "0"], ("replications",), ERR),
        ("r_negative", ["-r", "-2"], ("replications",), ERR),
        ("sampler_bogus", ["--sampler", "bogus"], ("sampler",), ERR),
        ("chunk_zero", ["--chunk-runs", "0"], ("chunk",), ERR), ("chunk_negative", ["--chunk-runs", "-5"], ("chunk",), ERR),
        ("workers_zero", ["--workers", "0"], ("workers",), ERR), ("workers_negative", ["--workers", "-1"], ("workers",), ERR),
        ("seed_negative", ["--seed", "-1"], ("seed",), ERR), ("seed_huge", ["--seed", "9" * 30], ("seed",), ERR),
        ("dask_local_zero", ["--dask-local", "0"], ("dask",), ERR),
        ("scheduler_garbage", ["--scheduler", "not a url"], ("scheduler",), ERR),
        ("sobol_not_power", ["-n", "3", "--sampler", "sobol"], ("sobol",), EITHER),
    ]:
        add(Case(f"opt_batch_{name}", [*b, *opts], names=words, accept=acc, outputs=("st",) if acc == ERR else (),
                 timeout=60))
    add(Case("opt_batch_dry_huge", ["batch", "{F}/good.yaml", "-n", "100000000", "--dry-run"], names=("samples",),
             accept=EITHER))
    add(Case("opt_batch_out_is_file", [*b], files(st="x"),
             ("st",)))
    add(Case("opt_batch_resume_missing", ["batch", "--resume", "{d}/none", "--no-progress"], names=("none",)))
    add(Case("opt_batch_resume_file", ["batch", "--resume", "{d}/f", "--no-progress"], files(f="x"), ("f",)))
    add(Case("opt_batch_no_uncertainty", ["batch", "{F}/plain.yaml", "--out", "{d}/st", "--no-progress"],
             accept=EITHER))
    # map
    m = ["map", sc, "--x", "hegemon.threshold.economic", "--y", "partner.patience_months", "-r", "2",
         "--out", "{d}/m"]
    for name, opts, words in [
        ("grid_zero", ["--grid", "0x0"], ("--grid",)), ("grid_text", ["--grid", "axb"], ("--grid",)),
        ("grid_half", ["--grid", "40x"], ("--grid",)), ("grid_huge", ["--grid", "100000x100000"], ("grid",)),
        ("grid_negative", ["--grid", "-3x4"], ("--grid",)),
        ("x_unknown", ["--x", "bogus.name"], ("bogus.name",)), ("same_axes", ["--y", "hegemon.threshold.economic"], ("--y",)),
        ("range_nan", ["--x-range", "nan:1"], ("--x-range",)), ("range_reversed", ["--x-range", "0.9:0.1"], ("--x-range",)),
        ("range_empty", ["--x-range", "0.5:0.5"], ("--x-range",)), ("range_inf", ["--x-range", "0:inf"], ("--x-range",)),
        ("range_text", ["--x-range", "a:b"], ("--x-range",)), ("range_outside", ["--x-range", "5:9"], ("--x-range",)),
        ("range_one", ["--x-range", "0.5"], ("--x-range",)),
        ("level_inf", ["--level", "inf"], ("--level",)), ("level_negative", ["--level", "-1"], ("--level",)),
        ("outcome_bogus", ["--outcome", "bogus"], ("bogus",)), ("outcome_by_nan", ["--outcome", "sanctions_by:nan"], ("sanctions_by",)),
        ("outcome_by_huge", ["--outcome", "sanctions_by:99999999999999999999"], ("sanctions_by",)),
        ("outcome_ge_nan", ["--outcome", "final_alignment>=nan"], ("final_alignment",)),
        ("outcome_markup", ["--outcome", "[/x]"], ("[/x]",)),
        ("workers_zero", ["--workers", "0"], ("workers",)),
    ]:
        add(Case(f"opt_map_{name}", [*m, *opts], names=words, outputs=("m",)))
    add(Case("opt_map_out_is_file", m, files(m="x"), ("m",)))
    add(Case("opt_map_png_is_file", [*m, "--grid", "2x2", "--png", "{d}/p"], files(p="x"), ("p",), outputs=("m",)))
    # sensitivity
    sv = ["sensitivity", "{F}/good.yaml", "-n", "4", "-r", "2", "--out", "{d}/s"]
    for name, opts, words in [
        ("method_bogus", ["--method", "bogus"], ("--method",)),
        ("param_reversed", ["--param", "hegemon.threshold.military=0.9:0.1"], ("--param",)),
        ("param_nan", ["--param", "hegemon.threshold.military=nan:1"], ("--param",)),
        ("param_unknown", ["--param", "bogus.x=0:1"], ("bogus.x",)),
        ("param_no_range", ["--param", "hegemon.threshold.military"], ("--param",)),
        ("outcome_bogus", ["--outcome", "bogus"], ("bogus",)),
    ]:
        add(Case(f"opt_sens_{name}", [*sv, *opts], names=words, outputs=("s",)))
    add(Case("opt_sens_no_uncertainties", ["sensitivity", sc, "-n", "4", "-r", "2", "--out", "{d}/s"],
             names=("uncertainties",), outputs=("s",)))
    # compare / report / results
    add(Case("opt_compare_missing", ["compare", "{d}/none", "--out", "{d}/c"], names=("none",), outputs=("c",)))
    add(Case("opt_compare_reference_bogus", ["compare", "{F}/study", "--reference", "bogus", "--out", "{d}/c"],
             names=("bogus",), outputs=("c",)))
    add(Case("opt_compare_outcome_bogus", ["compare", "{F}/study", "--outcome", "bogus", "--out", "{d}/c"],
             names=("bogus",), outputs=("c",)))
    add(Case("opt_compare_out_is_file", ["compare", "{F}/study", "--out", "{d}/c"], files(c="x"), ("c",)))
    add(Case("opt_compare_same_twice", ["compare", "{F}/study", "{F}/study", "--out", "{d}/c"], accept=EITHER,
             names=("study",), outputs=("c",)))
    add(Case("opt_report_txt", ["report", "{F}/study", "--out", "{d}/r.txt"], names=("r.txt",), outputs=("r.txt",)))
    add(Case("opt_report_png_file", ["report", "{F}/study", "--out", "{d}/r.html", "--png", "{d}/p"], files(p="x"),
             ("p",), outputs=("r.html",)))
    add(Case("opt_report_out_dir", ["report", "{F}/study", "--out", "{d}/r.html"], files(r_DOT_html=None), ("r.html",)))
    add(Case("opt_results_list_root_file", ["results", "list", "--root", "{d}/f"], files(f="x"), ("--root",)))
    add(Case("opt_results_list_broken", ["results", "list", "--root", "{d}/r"],
             files(r__bad__manifest_DOT_json="{", r__dir__manifest_DOT_json=None), accept=EITHER))
    add(Case("opt_results_show_missing", ["results", "show", "{d}/none"], names=("none",)))
    add(Case("opt_results_show_name_markup", ["results", "show", "[/x]"], names=("[/x]",)))
    # validate / calibrate / params / schema / app
    add(Case("opt_validate_min_score_text", ["validate", "{F}/eps", "--min-score", "abc", "-r", "1", "--seeds", "1"],
             names=("--min-score",)))
    add(Case("opt_validate_min_score_nan", ["validate", "{F}/eps", "--min-score", "nan", "-r", "1", "--seeds", "1"],
             names=("--min-score",)))
    add(Case("opt_validate_min_score_inf", ["validate", "{F}/eps", "--min-score", "inf%", "-r", "1", "--seeds", "1"],
             names=("--min-score",)))
    add(Case("opt_validate_chart_gif", ["validate", "{F}/eps", "--chart", "{d}/c.gif"], names=("c.gif",)))
    add(Case("opt_validate_out_dir", ["validate", "{F}/eps", "--out", "{d}/o.csv", "-r", "1", "--seeds", "1"],
             files(o_DOT_csv=None), ("o.csv",)))
    add(Case("opt_validate_json_is_dir", ["validate", "{F}/eps", "--out", "{d}/o.csv", "-r", "1", "--seeds", "1",
                                          "--no-control"], files(o_DOT_json=None), ("o.json",), outputs=("o.csv",)))
    add(Case("opt_validate_r_zero", ["validate", "{F}/eps", "-r", "0"], names=("replications",)))
    add(Case("opt_calibrate_out_txt", ["calibrate", "{F}/eps", "--out", "{d}/p.txt"], names=("p.txt",)))
    add(Case("opt_calibrate_quantile_nan", ["calibrate", "{F}/eps", "--out", "{d}/p.json", "--quantile", "nan"],
             names=("quantile",)))
    add(Case("opt_calibrate_param_unknown", ["calibrate", "{F}/eps", "--out", "{d}/p.json", "--param", "bogus.x",
                                             "--particles", "4", "-r", "1", "--generations", "1"],
             names=("bogus.x",), outputs=("p.json", "p.checkpoint.json")))
    add(Case("opt_calibrate_param_e_class", ["calibrate", "{F}/eps", "--out", "{d}/p.json", "--param",
                                             "hegemon.noise_sd", "--particles", "4", "-r", "1", "--generations", "1"],
             names=("hegemon.noise_sd",), accept=EITHER, outputs=("p.json",)))
    add(Case("opt_params_actor_bogus", ["params", "--actor", "bogus"], names=("bogus",)))
    add(Case("opt_schema_out_dir", ["schema", "--out", "{d}/s.json"], files(s_DOT_json=None), ("s.json",)))
    add(Case("opt_schema_out_parent_missing", ["schema", "--out", "{d}/a/b/s.json"], accept=EITHER))
    add(Case("opt_app_port_zero", ["app", "--port", "0"], names=("port",)))
    add(Case("opt_app_host_empty", ["app", "--host", ""], names=("--host",)))
    add(Case("opt_app_scenarios_dir_file", ["app", "--scenarios-dir", "{d}/f", "--port", "1"], files(f="x"), ("f",)))
    add(Case("opt_app_bad_scenario", ["app", "{d}/b.yaml"], files(b_DOT_yaml="name: [\n"), ("b.yaml",)))
    add(Case("opt_app_host_bogus", ["app", "--host", "no.such.host.invalid", "--port", "8799"], names=("host",),
             timeout=30))
    return s


def _posterior_cases() -> list[Case]:
    s = []
    bad: dict[str, tuple[bytes | str | None, tuple[str, ...]]] = {
        "missing": (None, ()),
        "directory": (b"DIR", ()),
        "empty": (b"", ()),
        "not_json": (b"{oops", ("line",)),
        "list": (b"[1, 2]", ()),
        "nan_sample": ('{"format": "alliance-posterior/1", "parameters": ["balancer.initial_belief"], '
                       '"samples": [[NaN]], "weights": [1], "episode_hash": ""}', ("samples",)),
        "inf_weight": ('{"format": "alliance-posterior/1", "parameters": ["balancer.initial_belief"], '
                       '"samples": [[0.5]], "weights": [Infinity], "episode_hash": ""}', ("weights",)),
        "big_int": ('{"format": "alliance-posterior/1", "parameters": ["balancer.initial_belief"], '
                    '"samples": [[' + "9" * 5000 + ']], "weights": [1], "episode_hash": ""}', ("line 1",)),
        "deep": (DEEP_JSON, ()),
        "latin1": ('{"format": "caf\xe9"}'.encode("latin-1"), ()),
        "bom": (b"\xef\xbb\xbf{}", ()),
        "huge_weights": ('{"format": "alliance-posterior/1", "parameters": ["balancer.initial_belief"], '
                         '"samples": [[0.5], [0.6]], "weights": [1e308, 1e308], "episode_hash": ""}', ("weights",)),
        "zero_params": ('{"format": "alliance-posterior/1", "parameters": [], "samples": [[]], "weights": [1], '
                        '"episode_hash": ""}', ("parameters",)),
        "bool_sample": ('{"format": "alliance-posterior/1", "parameters": ["balancer.initial_belief"], '
                        '"samples": [[true]], "weights": [1], "episode_hash": ""}', ("samples",)),
        "markup": ('{"format": "alliance-posterior/1", "parameters": ["[/x]"], "samples": [[1]], "weights": [1], '
                   '"episode_hash": ""}', ("parameters",)),
    }
    for name, (content, words) in bad.items():
        def setup(d: Path, F: Path, content: bytes | str | None = content) -> None:
            if content == b"DIR":
                (d / "p.json").mkdir()
            elif content is not None:
                (d / "p.json").write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        s.append(Case(f"post_run_{name}", ["run", "{F}/plain.yaml", *RUN, "--posterior", "{d}/p.json"], setup,
                      ("p.json", *words), outputs=RUN_OUT))
        if name in ("deep", "big_int", "directory", "markup", "huge_weights"):
            for cmd, argv, outs in [
                ("params", ["params", "--posterior", "{d}/p.json"], ()),
                ("batch", ["batch", "{F}/good.yaml", "-n", "2", "--out", "{d}/st", "--no-progress", "--posterior", "{d}/p.json"],
                 ("st",)),
                ("validate", ["validate", "{F}/eps", "-r", "1", "--seeds", "1", "--posterior", "{d}/p.json"], ()),
                ("compare", ["compare", "{F}/study", "--out", "{d}/c", "--posterior", "{d}/p.json"], ("c",)),
                ("app", ["app", "--posterior", "{d}/p.json", "--port", "1"], ()),
            ]:
                s.append(Case(f"post_{cmd}_{name}", argv, setup, ("p.json", *words), outputs=outs))
    s.append(Case("post_validate_wrong_episodes", ["validate", "{F}/eps", "-r", "1", "--seeds", "1", "--posterior",
                                                   "{F}/post.json"], names=("post.json", "episode_hash")))
    s.append(Case("post_run_ok", ["run", "{F}/plain.yaml", *RUN, "--posterior", "{F}/post.json"], accept=OK))
    return s


def _study_cases() -> list[Case]:
    s = []
    edits: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
        "manifest_missing": (lambda st: (st / "manifest.json").unlink(), ("st",)),
        "manifest_dir": (lambda st: _dir_for(st / "manifest.json"), ("manifest.json",)),
        "manifest_not_json": (_manifest(lambda m: "{not json"), ("manifest.json",)),
        "manifest_latin1": (_manifest(lambda m: '{"format": "caf\xe9"}'.encode("latin-1")), ("manifest.json",)),
        "manifest_deep": (_manifest(lambda m: DEEP_JSON), ("manifest.json",)),
        "manifest_big_int": (_manifest(lambda m: json.dumps(m).replace('"seed": 1', '"seed": 1' + "0" * 5000)),
                             ("manifest.json",)),
        "manifest_list": (_manifest(lambda m: "[]"), ("manifest.json",)),
        "manifest_chunks_string": (_manifest(lambda m: m.update(chunks="x")), ("manifest.json", "chunks")),
        "manifest_runs_negative": (_manifest(lambda m: m.update(samples=-5)), ("manifest.json",)),
        "manifest_nan": (_manifest(lambda m: json.dumps(m).replace('"seed": 1', '"seed": NaN')), ("manifest.json",)),
        "manifest_link_loop": (lambda st: ((st / "manifest.json").unlink(), os.symlink("m2", st / "manifest.json"),
                                           os.symlink("manifest.json", st / "m2")), ("manifest.json",)),
        "chunk_truncated": (lambda st: _truncate(_first_chunk(st)), ("chunk",)),
        "chunk_empty": (lambda st: _truncate(_first_chunk(st), 0), ("chunk",)),
        "chunk_dir": (lambda st: _dir_for(_first_chunk(st)), ("chunk",)),
        "chunk_missing": (lambda st: _first_chunk(st).unlink(), ("chunk",)),
        "runs_truncated": (lambda st: _truncate(st / "runs.parquet"), ("runs.parquet",)),
        "runs_dir": (lambda st: _dir_for(st / "runs.parquet"), ("runs.parquet",)),
        "samples_garbage": (lambda st: (st / "samples.parquet").write_bytes(b"PAR1garbagePAR1"), ("samples.parquet",)),
        "stray_tmp": (lambda st: (st / "summary" / "part-000009.parquet.tmp").write_bytes(b"junk"), ()),
    }
    for name, (edit, words) in edits.items():
        setup = copy_study(edit)
        acc = EITHER if name == "stray_tmp" else ERR
        s.append(Case(f"study_show_{name}", ["results", "show", "{d}/st", "--verify"], setup, words, accept=acc))
        s.append(Case(f"study_schema_{name}", ["results", "schema", "{d}/st"], setup, words,
                      accept=EITHER if name.startswith(("chunk", "runs", "samples", "stray")) else ERR))
        s.append(Case(f"study_compare_{name}", ["compare", "{d}/st", "--out", "{d}/c"], setup, words, accept=acc,
                      outputs=("c",)))
        s.append(Case(f"study_report_{name}", ["report", "{d}/st", "--out", "{d}/r.html"], setup, words, accept=acc,
                      outputs=("r.html",)))
        s.append(Case(f"study_resume_{name}", ["batch", "--resume", "{d}/st", "--no-progress"], setup, words,
                      accept=EITHER, timeout=120))
    return s


EP_OK = "name: e\ndescription: an audit episode\nextends: baseline\nhorizon_months: 24\nreplications: 2\nevents:\n" \
        "  - {month: 6, kind: request, domain: energy, level: 0.6}\n"
EXPECTED = "expected:\n  domain: energy\n  response: diplomatic\n  window_months: 12\n  outcome: rolled_back\n"


def _episode_cases() -> list[Case]:
    s = []
    v = ["validate", "{d}/eps", "-r", "1", "--seeds", "1", "--no-control", "--out", "{d}/v.csv"]
    outs = ("v.csv", "v.json")
    for name, text, words in [
        ("no_expected", EP_OK, ("x.yaml", "expected")),
        ("response_bogus", EP_OK + EXPECTED.replace("diplomatic", "maybe"), ("x.yaml", "response")),
        ("lag_nan", EP_OK + EXPECTED + "  lag_months: [1, .nan]\n", ("x.yaml", "lag_months")),
        ("lag_reversed", EP_OK + EXPECTED + "  lag_months: [9, 1]\n", ("x.yaml", "lag_months")),
        ("lag_string", EP_OK + EXPECTED + "  lag_months: soon\n", ("x.yaml", "lag_months")),
        ("window_huge", EP_OK + EXPECTED.replace("window_months: 12", "window_months: 100000"), ("x.yaml", "window")),
        ("window_zero", EP_OK + EXPECTED.replace("window_months: 12", "window_months: 0"), ("x.yaml", "window")),
        ("domain_bogus", EP_OK + EXPECTED.replace("domain: energy", "domain: space"), ("x.yaml", "domain")),
        ("expected_list", EP_OK + "expected: [1, 2]\n", ("x.yaml", "expected")),
        ("expected_unknown_key", EP_OK + EXPECTED + "  colour: red\n", ("x.yaml", "colour")),
        ("no_trigger", EP_OK.split("events:")[0] + EXPECTED, ("x.yaml",)),
        ("latin1", (EP_OK + EXPECTED).replace("description: an audit episode", "description: caf\xe9 episode").encode("latin-1"), ("x.yaml",)),
        ("crlf", (EP_OK + EXPECTED).replace("\n", "\r\n"), ()),
    ]:
        def setup(d: Path, F: Path, text: str | bytes = text) -> None:
            (d / "eps").mkdir()
            (d / "eps" / "x.yaml").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        s.append(Case(f"ep_validate_{name}", v, setup, words, accept=OK if name == "crlf" else ERR, outputs=outs))
        if name in ("no_expected", "lag_nan", "latin1"):
            s.append(Case(f"ep_calibrate_{name}", ["calibrate", "{d}/eps", "--out", "{d}/p.json", "--particles", "4",
                                                   "-r", "1", "--generations", "1"], setup, words,
                          outputs=("p.json", "p.checkpoint.json")))
    s.append(Case("ep_folder_missing", [*v[:1], "{d}/none", *v[2:]], names=("none",), outputs=outs))
    s.append(Case("ep_folder_empty", v, files(eps=None), ("eps",), outputs=outs))
    s.append(Case("ep_folder_only_readme", v, files(eps__README_DOT_md="# x"), ("eps",), outputs=outs))
    s.append(Case("ep_file_is_dir", v, files(eps__x_DOT_yaml=None), ("x.yaml",), outputs=outs))
    s.append(Case("ep_duplicate_names", v, files(eps__x_DOT_yaml=EP_OK + EXPECTED, eps__y_DOT_yaml=EP_OK + EXPECTED),
                  ("y.yaml",), accept=EITHER, outputs=outs))
    s.append(Case("ep_link_loop", v, chain(files(eps=None), lambda d, F: os.symlink(d / "eps", d / "eps" / "loop")),
                  ("eps",), outputs=outs, timeout=60))
    s.append(Case("ep_file_link_loop", v, chain(files(eps=None), lambda d, F: (
        os.symlink("b.yaml", d / "eps" / "a.yaml"), os.symlink("a.yaml", d / "eps" / "b.yaml"))), ("a.yaml",),
        outputs=outs))
    return s


def _checkpoint_cases() -> list[Case]:
    s = []
    for name, edit, words in [
        ("not_json", lambda st: "{oops", ("checkpoint",)),
        ("latin1", lambda st: '{"key": "caf\xe9"}'.encode("latin-1"), ("checkpoint",)),
        ("list", lambda st: "[1, 2]", ("checkpoint",)),
        ("empty", lambda st: "", ("checkpoint",)),
        ("deep", lambda st: DEEP_JSON, ("checkpoint",)),
        ("generations_garbage", lambda st: st.update(generations=[{"x": 1}]), ("checkpoint",)),
        ("generations_string", lambda st: st.update(generations="abc"), ("checkpoint",)),
        ("particles_nan", lambda st: st["generations"][0].update(particles=[[float("nan")]] * 4), ("checkpoint",)),
        ("weights_short", lambda st: st["generations"][0].update(weights=[1.0]), ("checkpoint",)),
    ]:
        s.append(Case(f"ck_{name}", CAL, chain(copy_eps(), _ck(edit)), words, outputs=("p.json",)))
    s.append(Case("ck_directory", CAL, chain(copy_eps(), files(p_DOT_checkpoint_DOT_json=None)), ("checkpoint",),
                  outputs=("p.json",)))
    s.append(Case("ck_good_resumes", CAL, chain(copy_eps(), _ck(lambda st: None)), accept=OK))
    return s


CASES: list[Case] = [*_scenario_cases(), *_set_cases(), *_option_cases(), *_posterior_cases(), *_study_cases(),
                     *_episode_cases(), *_checkpoint_cases()]


def _py_simulate_nan(d: Path, F: Path) -> object:
    from alliance.model import simulate
    return simulate("baseline", replications=2, months=3, params={"hegemon.threshold.economic": float("nan")})


def _py_simulate_params_list(d: Path, F: Path) -> object:
    from alliance.model import simulate
    return simulate("baseline", replications=2, months=3, params=[("a", 1)])  # type: ignore[arg-type]


def _py_simulate_array_wrong_len(d: Path, F: Path) -> object:
    import numpy as np

    from alliance.model import simulate
    return simulate("baseline", replications=3, months=3, params={"hegemon.threshold.economic": np.array([0.5, 0.6])})


def _py_simulate_months_zero(d: Path, F: Path) -> object:
    from alliance.model import simulate
    return simulate("baseline", replications=2, months=0)


def _py_simulate_reps_negative(d: Path, F: Path) -> object:
    from alliance.model import simulate
    return simulate("baseline", replications=-1, months=3)


def _py_simulate_seed_negative(d: Path, F: Path) -> object:
    from alliance.model import simulate
    return simulate("baseline", replications=2, months=3, seed=-1)


def _py_simulate_string_value(d: Path, F: Path) -> object:
    from alliance.model import simulate
    return simulate("baseline", replications=2, months=3, params={"hegemon.threshold.economic": "0.5x"})


def _py_check_params_nan(d: Path, F: Path) -> object:
    from alliance.model import check_params
    probs = check_params({"hegemon.threshold.economic": float("nan")})
    if not probs:
        return probs
    from alliance.errors import UserError
    raise UserError("; ".join(probs))


def _py_check_params_not_mapping(d: Path, F: Path) -> object:
    from alliance.model import check_params
    return check_params(["hegemon.threshold.economic"])  # type: ignore[arg-type]


def _py_load_results_file(d: Path, F: Path) -> object:
    from alliance.study.store import load_results
    (d / "f").write_text("x")
    return load_results(d / "f")


def _py_load_results_truncated(d: Path, F: Path) -> object:
    from alliance.study.store import load_results
    shutil.copytree(F / "study", d / "st", dirs_exist_ok=True)
    _truncate(_first_chunk(d / "st"))
    return load_results(d / "st").summary


def _py_run_batch_samples_zero(d: Path, F: Path) -> object:
    from alliance.study.batch import run_batch
    return run_batch([str(F / "good.yaml")], samples=0, replications=2, out=d / "st", progress=False)


def _py_run_batch_bad_sampler(d: Path, F: Path) -> object:
    from alliance.study.batch import run_batch
    return run_batch([str(F / "good.yaml")], samples=2, replications=2, sampler="bogus", out=d / "st2", progress=False)


def _py_load_scenario_int(d: Path, F: Path) -> object:
    from alliance.model import load_scenario
    return load_scenario(5)  # type: ignore[arg-type]


def _py_model_params_str(d: Path, F: Path) -> object:
    from alliance.model import AllianceModel
    return AllianceModel(params="hegemon.threshold.economic")  # type: ignore[arg-type]


def _py_load_posterior_str(d: Path, F: Path) -> object:
    from alliance.model.posterior import load_posterior
    return load_posterior(str(d / "none.json"))  # type: ignore[arg-type]


PY_CASES: list[tuple[str, Callable[[Path, Path], object], tuple[str, ...], frozenset[str]]] = [
    ("simulate_nan_param", _py_simulate_nan, ("hegemon.threshold.economic",), ERR),
    ("simulate_params_list", _py_simulate_params_list, ("params",), ERR),
    ("simulate_array_wrong_length", _py_simulate_array_wrong_len, ("hegemon.threshold.economic",), ERR),
    ("simulate_months_zero", _py_simulate_months_zero, ("months",), EITHER),
    ("simulate_replications_negative", _py_simulate_reps_negative, ("replications",), ERR),
    ("simulate_seed_negative", _py_simulate_seed_negative, ("seed",), ERR),
    ("simulate_string_value", _py_simulate_string_value, ("hegemon.threshold.economic",), ERR),
    ("check_params_nan", _py_check_params_nan, ("hegemon.threshold.economic",), ERR),
    ("check_params_not_mapping", _py_check_params_not_mapping, ("mapping",), ERR),
    ("load_results_file", _py_load_results_file, ("f",), ERR),
    ("load_results_truncated_chunk", _py_load_results_truncated, ("part-",), ERR),
    ("run_batch_samples_zero", _py_run_batch_samples_zero, ("samples",), ERR),
    ("run_batch_bad_sampler", _py_run_batch_bad_sampler, ("bogus",), ERR),
    ("load_scenario_int", _py_load_scenario_int, ("scenario",), ERR),
    ("model_params_string", _py_model_params_str, ("params",), ERR),
    ("load_posterior_str_path", _py_load_posterior_str, ("none.json",), ERR),
]
"""Python API calls (docs/python.md): (name, call, words its error must carry, accepted classes). A
``ValueError``/``TypeError`` naming the argument is the Python convention and counts as clean."""


# ---- interrupts: real processes, a signal mid-run ---------------------------------------------

def _alliance(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "alliance", *argv], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True)


def _signal_after(proc: subprocess.Popen[bytes], sig: int, ready: Callable[[], bool], limit: float = 120) -> str:
    t0 = time.monotonic()
    while not ready() and proc.poll() is None and time.monotonic() - t0 < limit:
        time.sleep(0.005)
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        return "hang after the signal"
    return err.decode("utf-8", "replace")


def _int_run_out(sig: int, mid_write: bool) -> Callable[[Path, Path, dict[str, str]], tuple[bool, str]]:
    """``run --out`` stopped mid-simulation (after 8 s) or while its output is being written."""
    def fn(d: Path, F: Path, env: dict[str, str]) -> tuple[bool, str]:
        d.mkdir(parents=True, exist_ok=True)
        proc = _alliance(["run", "baseline", "-r", "20000", "--months", "240", "--out", str(d / "o.parquet")], d, env)
        t0 = time.monotonic()
        ready = ((lambda: any(p.name.endswith(".tmp") for p in d.iterdir())) if mid_write
                 else (lambda: time.monotonic() - t0 > 8))
        err = _signal_after(proc, sig, ready, limit=300)
        left = sorted(p.name for p in d.iterdir())
        if proc.returncode == 0 and not mid_write:  # the run beat the clock: it must then be whole
            return left == ["o.parquet", "o_summary.parquet"], f"finished before the signal; wrote {left}"
        ok = proc.returncode != 0 and "Traceback" not in err and not left
        return ok, f"exit {proc.returncode}, left {left}, stderr {err.strip()[-120:]!r}"
    return fn


def _int_batch(sig: int) -> Callable[[Path, Path, dict[str, str]], tuple[bool, str]]:
    def fn(d: Path, F: Path, env: dict[str, str]) -> tuple[bool, str]:
        d.mkdir(parents=True, exist_ok=True)
        st = d / "st"
        base = ["batch", str(F / "good.yaml"), "-n", "16", "-r", "200", "--chunk-runs", "200", "--no-progress",
                "--seed", "2"]
        proc = _alliance([*base, "--out", str(st)], d, env)
        err = _signal_after(proc, sig, lambda: len(list((st / "summary").glob("part-*.parquet"))) >= 2, limit=120)
        first = f"exit {proc.returncode}"
        if "Traceback" in err or proc.returncode in (0, 1):
            return False, f"{first}: {err.strip()[-200:]!r}"
        res = subprocess.run([sys.executable, "-m", "alliance", "batch", "--resume", str(st), "--no-progress"],
                             cwd=d, env=env, capture_output=True, text=True, timeout=600, check=False)
        if res.returncode != 0:
            return False, f"{first}; resume exit {res.returncode}: {res.stderr.strip()[-200:]!r}"
        ref = d / "ref"
        subprocess.run([sys.executable, "-m", "alliance", *base, "--out", str(ref)],
                       cwd=d, env=env, capture_output=True, timeout=600, check=False)
        from alliance.study.store import load_results

        strays = [p.name for p in st.rglob("*.tmp")]
        a = load_results(st).summary.sort_values("run_id").reset_index(drop=True)
        b = load_results(ref).summary.sort_values("run_id").reset_index(drop=True)
        same = a.equals(b)
        return same and not strays, (f"{first}, stderr {err.strip()[-90:]!r}; resumed; equal to the uninterrupted "
                                     f"study: {same}; temporary files left: {strays}")
    return fn


def _int_calibrate(d: Path, F: Path, env: dict[str, str]) -> tuple[bool, str]:
    d.mkdir(parents=True, exist_ok=True)
    shutil.copytree(F / "eps", d / "eps", dirs_exist_ok=True)
    argv = ["calibrate", str(d / "eps"), "--out", str(d / "p.json"), "--particles", "8", "-r", "2",
            "--generations", "6", "--seed", "5", "--param", "balancer.initial_belief", "--param",
            "partner.patience_months"]
    ck = d / "p.checkpoint.json"
    proc = _alliance(argv, d, env)
    err = _signal_after(proc, signal.SIGTERM, ck.exists, limit=180)
    if "Traceback" in err or (d / "p.json").exists():
        return False, f"exit {proc.returncode}: {err.strip()[-200:]!r}"
    done_before = len(json.loads(ck.read_text())["generations"]) if ck.exists() else 0
    res = subprocess.run([sys.executable, "-m", "alliance", *argv], cwd=d, env=env, capture_output=True, text=True,
                         timeout=900, check=False)
    ok = res.returncode == 0 and (d / "p.json").exists() and not ck.exists() and done_before > 0
    return ok, (f"exit {proc.returncode} with {done_before} generation(s) checkpointed; rerun exit {res.returncode}"
                f" {res.stderr.strip()[-160:]!r}")


INTERRUPTS: list[tuple[str, Callable[[Path, Path, dict[str, str]], tuple[bool, str]]]] = [
    ("run_out_sigint", _int_run_out(signal.SIGINT, False)),
    ("run_out_sigterm", _int_run_out(signal.SIGTERM, False)),
    ("run_out_sigint_mid_write", _int_run_out(signal.SIGINT, True)),
    ("run_out_sigterm_mid_write", _int_run_out(signal.SIGTERM, True)),
    ("run_out_sighup_mid_write", _int_run_out(signal.SIGHUP, True)),
    ("batch_sigint_resume", _int_batch(signal.SIGINT)),
    ("batch_sigterm_resume", _int_batch(signal.SIGTERM)),
    ("calibrate_sigterm_resume", _int_calibrate),
]
