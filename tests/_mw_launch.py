"""Launch N local worker processes that form a MultiWorkerMirroredStrategy cluster.

Reusable by any test that needs a real multi-worker run on one machine:

    from tests._mw_launch import launch_workers
    results = launch_workers("tests/_mw_worker.py", ["--out", str(tmp_path)])
    for r in results:
        assert r.returncode == 0, r.log_tail()

Each worker is ``sys.executable <script> <args...>`` with its own ``TF_CONFIG``
describing a cluster of ``num_workers`` tasks on 127.0.0.1 (free ports picked by
the OS), plus ``MW_WORKER_INDEX`` / ``MW_NUM_WORKERS`` for convenience.  Only
loopback is used.  Output goes to temporary files (no pipe dead-locks); all
workers share one deadline and are killed (by their own process handles) if it
passes, which raises ``WorkerTimeout`` with every worker's log tail.  When one
worker fails the rest are killed after a short grace period instead of waiting
for the deadline (they would block in a collective).
"""
from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Mapping, Sequence

REPO_ROOT = Path(__file__).resolve().parents[1]


class WorkerTimeout(RuntimeError):
    """The worker group did not finish within the timeout."""


@dataclasses.dataclass
class WorkerResult:
    index: int
    returncode: int
    stdout: str
    stderr: str

    def log_tail(self, n_chars: int = 4000) -> str:
        text = f"--- worker {self.index} (rc={self.returncode}) stdout ---\n{self.stdout}"
        text += f"\n--- worker {self.index} stderr ---\n{self.stderr}"
        return text[-n_chars:]


def free_ports(n: int) -> list[int]:
    """Return ``n`` distinct free TCP ports on 127.0.0.1.

    All sockets are held open until every port is chosen, so the ports are
    distinct; there is an unavoidable small window before the workers bind them.
    """
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def tf_config(ports: Sequence[int], index: int) -> str:
    cluster = {"worker": [f"127.0.0.1:{p}" for p in ports]}
    return json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})


def launch_workers(
    script,
    args: Sequence[str] = (),
    num_workers: int = 2,
    timeout: float = 120,
    env: Mapping[str, str] | None = None,
    failure_grace: float = 10.0,
) -> list[WorkerResult]:
    """Run ``script`` as ``num_workers`` cooperating TF workers; return their results.

    Args:
      script: path of the Python script (absolute, or relative to the repo root).
      args: command-line arguments given to every worker (a worker learns its
        index from ``TF_CONFIG`` or ``MW_WORKER_INDEX``).
      num_workers: cluster size.
      timeout: seconds for the whole group; on expiry all workers are killed and
        ``WorkerTimeout`` is raised.
      env: extra environment variables for the workers.
      failure_grace: once one worker has failed, seconds to wait for the others
        (which usually hang in a collective) before killing them.

    Returns:
      One ``WorkerResult`` per worker, in index order.  A non-zero return code
      is *not* raised; callers assert on it so they can show the logs.
    """
    script = Path(script)
    if not script.is_absolute():
        script = REPO_ROOT / script
    ports = free_ports(num_workers)
    base_env = dict(os.environ)
    base_env.update(
        {
            "CUDA_VISIBLE_DEVICES": "",
            "TF_CPP_MIN_LOG_LEVEL": base_env.get("TF_CPP_MIN_LOG_LEVEL", "2"),
            "KERAS_BACKEND": "tensorflow",
            "MW_NUM_WORKERS": str(num_workers),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(REPO_ROOT), base_env.get("PYTHONPATH", "")) if p
            ),
        }
    )
    if env:
        base_env.update(env)

    procs, files = [], []
    with tempfile.TemporaryDirectory(prefix="mw_launch_") as logdir:
        try:
            for i in range(num_workers):
                wenv = dict(base_env, TF_CONFIG=tf_config(ports, i), MW_WORKER_INDEX=str(i))
                out = open(os.path.join(logdir, f"w{i}.out"), "w+")
                err = open(os.path.join(logdir, f"w{i}.err"), "w+")
                files.append((out, err))
                procs.append(
                    subprocess.Popen(
                        [sys.executable, str(script), *map(str, args)],
                        cwd=str(REPO_ROOT), env=wenv, stdout=out, stderr=err,
                        stdin=subprocess.DEVNULL,
                    )
                )
            deadline = time.monotonic() + timeout
            timed_out, failed_at = False, None
            while any(p.poll() is None for p in procs):
                now = time.monotonic()
                if now > deadline:
                    timed_out = True
                    break
                if failed_at is None and any(p.poll() not in (None, 0) for p in procs):
                    failed_at = now  # peers would block in collectives: cut short
                if failed_at is not None and now - failed_at > failure_grace:
                    break
                time.sleep(0.1)
        finally:
            for p in procs:  # only the processes started above
                if p.poll() is None:
                    p.kill()
                    p.wait()
        results = []
        for i, (p, (out, err)) in enumerate(zip(procs, files)):
            out.seek(0)
            err.seek(0)
            results.append(WorkerResult(i, p.returncode, out.read(), err.read()))
            out.close()
            err.close()
    if timed_out:
        raise WorkerTimeout(
            f"workers did not finish within {timeout}s\n"
            + "\n".join(r.log_tail() for r in results)
        )
    return results
