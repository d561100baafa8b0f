"""Where a study's chunks run: in-process, local worker processes, or a Dask cluster.

Each executor maps a function over tasks and yields results as they finish, with a bounded
number of tasks in flight (memory stays flat however long the study). Any executor gives the same
results: tasks are pure functions of their inputs. A Dask worker that dies takes its task with it;
the scheduler reruns the task elsewhere (``allowed-failures``), so the study still completes.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from alliance.errors import UserError

CONNECT_TIMEOUT_S = 5
"""Seconds to wait for a Dask scheduler before reporting it unreachable."""

_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx|ws|wss)://[^\s/:]+(:\d{1,5})?/?$")


class InProcess:
    def describe(self) -> str:
        return "in-process"

    def imap_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        for t in tasks:
            yield fn(t)

    def close(self) -> None:
        pass


_MALLOC_TUNED = False


def tune_malloc() -> None:
    """Undo Dask's ``MALLOC_TRIM_THRESHOLD_=65536`` in a worker (glibc only; once per process).

    A Dask nanny starts its workers with that variable, which also freezes glibc's mmap threshold:
    every temporary numpy array of the model (about 1 MB each) is then mmap'ed, page-faulted and
    unmapped, and a chunk runs about 5× slower. Restoring generous thresholds with ``mallopt``
    gives the worker the speed of a plain process. Does nothing where the variable is not set.
    """
    global _MALLOC_TUNED
    if _MALLOC_TUNED or not os.environ.get("MALLOC_TRIM_THRESHOLD_") or not sys.platform.startswith("linux"):
        return
    _MALLOC_TUNED = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 * 1024 * 1024)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, 128 * 1024 * 1024)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


class Processes:
    """A pool of local worker processes.

    On Linux the workers are forked (multiprocessing's default there before Python 3.14), so they
    start at once with every module already imported; all of them are started here, before the
    progress bar or the writer thread exist. Elsewhere they are spawned (each imports the package
    once). Results do not depend on the start method.
    """

    def __init__(self, workers: int, warm: Callable[[], Any] | None = None, start_method: str | None = None,
                 preload: Sequence[str] = ()) -> None:
        self.workers = workers
        method = start_method or ("fork" if sys.platform.startswith("linux") else "spawn")
        if method not in mp.get_all_start_methods():  # pragma: no cover - e.g. forkserver off Unix
            method = "spawn"
        ctx = mp.get_context(method)
        if method == "forkserver" and preload:
            ctx.set_forkserver_preload(list(preload))  # the server imports the code once
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
        for f in [self.pool.submit(warm or os.getpid) for _ in range(workers)]:
            f.result()

    def describe(self) -> str:
        return f"{self.workers} worker processes"

    def imap_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        it = iter(tasks)
        running: set[Future] = set()
        limit = 2 * self.workers
        try:
            while True:
                while len(running) < limit:
                    t = next(it, None)
                    if t is None:
                        break
                    running.add(self.pool.submit(fn, t))
                if not running:
                    return
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for f in done:
                    yield f.result()
        finally:
            for f in running:
                f.cancel()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Dask:
    """Tasks on a Dask distributed cluster: an existing scheduler, a Client, or a local cluster."""

    def __init__(self, scheduler: Any = None, local_workers: int | None = None,
                 note: Callable[[str], None] | None = None, warm: Callable[[], Any] | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - a declared dependency
            raise UserError("Dask is not installed: pip install 'dask[distributed]'") from None
        self.cluster = None
        self.own_client = True
        if local_workers is not None:
            self.cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address="127.0.0.1:0")
            self.client = Client(self.cluster)
            if note is not None:
                note(f"Dask local cluster: {local_workers} workers, dashboard {self.cluster.dashboard_link}")
        elif isinstance(scheduler, Client):
            self.client = scheduler
            self.own_client = False
        else:
            addr = str(scheduler)
            if not _ADDRESS.match(addr):
                raise UserError(f"--scheduler {addr!r} is not a scheduler address like tcp://HOST:8786")
            try:
                self.client = Client(addr, timeout=f"{CONNECT_TIMEOUT_S}s")
            except (OSError, TimeoutError) as exc:
                raise UserError(f"cannot reach the Dask scheduler at {addr} within "
                                f"{CONNECT_TIMEOUT_S} s ({type(exc).__name__}); is it running and "
                                "reachable from here?") from None
            except ValueError as exc:
                raise UserError(f"--scheduler {addr!r}: {exc}") from None
        self.where = self.client.scheduler.address if hasattr(self.client, "scheduler") else "dask"
        if local_workers is not None:
            self.client.wait_for_workers(local_workers, timeout=120)
        if warm is not None:
            self.client.run(warm)  # every connected worker imports the task's code now, in parallel

    def describe(self) -> str:
        n = len(self.client.scheduler_info().get("workers", {}))
        return f"Dask at {self.where} ({n} workers)"

    def imap_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        from distributed import as_completed

        it = iter(tasks)
        n = max(1, len(self.client.scheduler_info().get("workers", {})))
        first = []
        for _ in range(2 * n):
            t = next(it, None)
            if t is None:
                break
            first.append(self.client.submit(fn, t, pure=False, retries=2))
        if not first:
            return
        ac = as_completed(first)
        try:
            for fut in ac:
                res = fut.result()
                fut.release()
                t = next(it, None)
                if t is not None:
                    ac.add(self.client.submit(fn, t, pure=False, retries=2))
                yield res
        finally:
            for f in list(ac.futures):
                f.cancel()

    def close(self) -> None:
        if self.own_client:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def check_options(workers: int | None = None, scheduler: Any = None, dask_local: int | None = None) -> None:
    """Reject conflicting or out-of-range executor options (before any work or connection)."""
    chosen = [x for x in ((workers or 1) > 1, scheduler is not None, dask_local is not None) if x]
    if len(chosen) > 1:
        raise UserError("choose one of --workers, --scheduler and --dask-local")
    if workers is not None and not 1 <= workers <= 1024:
        raise UserError(f"--workers must be between 1 and 1024, got {workers}")
    if dask_local is not None and not 1 <= dask_local <= 256:
        raise UserError(f"--dask-local must be between 1 and 256, got {dask_local}")
    if isinstance(scheduler, str) and not _ADDRESS.match(scheduler):
        raise UserError(f"--scheduler {scheduler!r} is not a scheduler address like tcp://HOST:8786")


def make_executor(workers: int | None = None, scheduler: Any = None,
                  dask_local: int | None = None, note: Callable[[str], None] | None = None,
                  warm: Callable[[], Any] | None = None, start_method: str | None = None,
                  preload: Sequence[str] = ()) -> Any:
    """The executor for the options given; at most one of workers > 1, scheduler, dask_local.

    ``note`` receives one-line messages for the user (a local cluster's dashboard address);
    ``warm`` (a picklable module-level function) runs once in each worker before any task, so
    that the first task does not pay for importing the code it needs. ``start_method`` and
    ``preload`` choose how local processes start: the default forks (fast, for a driver with no
    threads yet); ``"forkserver"`` with the modules to preload is safe next to threads (the app,
    a progress bar).
    """
    check_options(workers, scheduler, dask_local)
    chosen = [x for x in ((workers or 1) > 1, scheduler is not None, dask_local is not None) if x]
    if len(chosen) > 1:
        raise UserError("choose one of --workers, --scheduler and --dask-local")
    if workers is not None and workers < 1:
        raise UserError(f"--workers must be at least 1, got {workers}")
    if dask_local is not None:
        if not 1 <= dask_local <= 256:
            raise UserError(f"--dask-local must be between 1 and 256, got {dask_local}")
        return Dask(local_workers=dask_local, note=note, warm=warm)
    if scheduler is not None:
        return Dask(scheduler=scheduler, warm=warm)
    if workers is not None and workers > 1:
        return Processes(workers, warm=warm, start_method=start_method, preload=preload)
    return InProcess()


__all__ = ["CONNECT_TIMEOUT_S", "Dask", "InProcess", "Processes", "check_options", "make_executor"]
