"""`alliance app`: start the threshold-tuning app (Solara) on 127.0.0.1 unless --host is given."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from alliance.cli.common import console, raw_probabilities_note, styled, user_errors
from alliance.errors import UserError
from alliance.model import load_scenario
from alliance.model.posterior import load_posterior
from alliance.model.scenario_files import resolve_path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_USER_DIR = Path("user_scenarios")


def _check_port(host: str, port: int) -> None:
    """Fail with a clear message if the port is taken, rather than a server traceback."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise UserError(f"--port {port}: cannot listen on {host}:{port} ({exc.strerror})") from None


def server_command(host: str, port: int) -> list[str]:
    """The command line that serves the app (used by `alliance app` and the browser tests)."""
    return [sys.executable, "-m", "solara", "run", "alliance.app.server:Page",
            "--host", host, "--port", str(port), "--production", "--no-open"]


@user_errors
def app_cmd(
    scenario: str = typer.Argument("baseline", help="scenario to open: shipped name or YAML file"),
    port: int = typer.Option(DEFAULT_PORT, "--port", min=1, max=65535, help="port to listen on"),
    host: str = typer.Option(DEFAULT_HOST, "--host",
                             help="address to bind; the default serves this machine only"),
    scenarios_dir: Annotated[Path, typer.Option("--scenarios-dir",
                                                help="folder for saved and uploaded scenarios")] = DEFAULT_USER_DIR,
    posterior: Annotated[Path | None, typer.Option(
        "--posterior", help="draw each replication's parameters from this posterior")] = None,
) -> None:
    """Start the interactive threshold-tuning app in the browser."""
    if not host.strip():
        raise UserError("--host is empty: give an address to bind (127.0.0.1, the default, serves this "
                        "machine only; 0.0.0.0 serves every interface)")
    path = resolve_path(scenario)
    load_scenario(path)  # a bad scenario fails here with file, line and field
    if scenarios_dir.exists() and not scenarios_dir.is_dir():
        raise UserError(f"--scenarios-dir {scenarios_dir}: not a folder")
    if posterior is not None:  # a bad file fails here, naming file and field
        console.print(raw_probabilities_note(load_posterior(posterior), posterior), highlight=False)
    _check_port(host, port)
    env = {**os.environ, "ALLIANCE_APP_SCENARIO": str(path.resolve()),
           "ALLIANCE_APP_USER_DIR": str(scenarios_dir.resolve())}
    if posterior is not None:
        env["ALLIANCE_APP_POSTERIOR"] = str(posterior.resolve())
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(styled(("warning:", "yellow"), f" serving on {host}: anyone who can reach it can run "
                             "the model and save scenarios into the scenarios folder"))
    console.print(f"alliance app: http://{host}:{port}/  (scenario {path.stem}; "
                  f"saves into {scenarios_dir.resolve()}); Ctrl-C stops it")
    from alliance.app.assets import partial_bundle_dir

    if partial_bundle_dir() is None:
        console.print("note: plotly.js's cartesian bundle is not cached, so pages load the full "
                      "plotly.js (slower first chart); `python -m alliance.app.assets` caches it")
    rc = serve(server_command(host, port), env)
    if rc not in (0, -2, -15, 130, 143):
        raise typer.Exit(rc)


def serve(cmd: list[str], env: dict[str, str], grace_seconds: float = 10.0) -> int:
    """Run the server as a child and stop it with us: SIGTERM, SIGHUP or Ctrl-C to this process
    terminates the child (then kills it after ``grace_seconds``), so no server outlives the command."""
    stopping: list[float] = []
    running: list[subprocess.Popen[bytes]] = []

    def _stop(signum: int, _frame: object) -> None:
        if not stopping:
            stopping.append(time.monotonic())
        for proc in running:
            if proc.poll() is None:
                proc.terminate()

    # handlers first, so a signal that arrives while the child starts still reaches it
    signals = [signal.SIGTERM, signal.SIGINT, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    previous = {sig: signal.signal(sig, _stop) for sig in signals}
    try:
        child = subprocess.Popen(cmd, env=env)
    except BaseException:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        raise
    running.append(child)
    if stopping:
        child.terminate()
    try:
        while True:
            try:
                rc = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if stopping and time.monotonic() - stopping[0] > grace_seconds:
                    child.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:  # pragma: no cover - only if wait itself failed
            child.kill()
            child.wait()
    return 0 if stopping else rc


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `alliance` application."""
    app.command("app")(app_cmd)
