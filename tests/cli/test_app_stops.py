"""`alliance app` stops its server (the `solara run` child) on SIGTERM and Ctrl-C; `--host ""` is refused."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads child processes from /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_server_and_its_child(tmp_path, sig):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "alliance", "app", "--port", str(port),
                             "--scenarios-dir", str(tmp_path / "user")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while not _listening(port):
            assert proc.poll() is None, "alliance app exited before serving"
            assert time.monotonic() < deadline, "the app did not start listening in 120 s"
            time.sleep(0.5)
        kids = _children(proc.pid)
        assert kids, "expected a `solara run` child"
        proc.send_signal(sig)
        proc.wait(timeout=30)
        assert proc.returncode == 0
        time.sleep(0.5)
        assert not _listening(port)
        assert not any(_alive(k) for k in kids), "the solara child outlived alliance app"
    finally:
        for k in _children(proc.pid):
            os.kill(k, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_empty_host_is_refused():
    r = subprocess.run([sys.executable, "-m", "alliance", "app", "--host", ""], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 2
    assert "--host is empty" in r.stderr
    assert "Traceback" not in r.stderr
