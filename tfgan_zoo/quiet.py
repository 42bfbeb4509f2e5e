"""TensorFlow's start-up noise off the command line's stderr, everything else kept.

TensorFlow 2.21 logs through absl before absl::InitializeLog() is called, and those lines
ignore TF_CPP_MIN_LOG_LEVEL (tensorflow/tensorflow#100442): every command printed 6-7 lines
("oneDNN custom operations are on", "Could not find cuda drivers", "failed call to cuInit" on
CPU machines, "remapper failed" from Grappler) before its own output, so no error stood alone.
The `tfgan-zoo` process therefore reads its own stderr (file descriptor 2, where C++ writes)
through a pipe and drops the C++ log lines below TF_CPP_MIN_LOG_LEVEL (the package sets 2:
INFO and WARNING) and the known harmless ERROR lines above; every other line -- Python
warnings, tracebacks, our one-line errors, other C++ errors -- passes through unchanged.
TFGAN_ZOO_RAW_STDERR=1 turns the filter off.
"""
import os
import re
import sys
import threading

#: absl ("I0000 00:00:1795452724.433347   30258 port.cc:153] ...") and tsl
#: ("2025-09-17 14:44:05.157831: I external/...cc:32] ...") C++ log line heads
_HEAD = re.compile(rb"^(?:([IWEF])\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ |"
                   rb"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: ([IWEF]) )\S+:\d+\] ")
_LEVELS = {b"I": 0, b"W": 1, b"E": 2, b"F": 3}
#: ERROR lines that are no error of the user's: no GPU driver on a CPU machine, Grappler's
#: remapper giving up on an optimisation, CUDA plugins registered twice
_HARMLESS = (b"failed call to cuInit", b"remapper failed", b"Unable to register cu",
             b"could not find cuda drivers")
#: lines without a C++ head that belong to the start-up noise
_NOISE = (b"WARNING: All log messages before absl::InitializeLog() is called are written to "
          b"STDERR", b"To enable the following instructions:")


def noise(line, threshold):
    """True when `line` (bytes) is a C++ log line below `threshold` or known start-up noise."""
    if threshold <= 0:
        return False
    if line.startswith(_NOISE):
        return True
    head = _HEAD.match(line)
    if not head:
        return False
    level = _LEVELS[head.group(1) or head.group(2)]
    return level < threshold or (level == 2 and any(h in line for h in _HARMLESS))


class StderrFilter:
    """Context manager: file descriptor 2 goes through `noise` while inside."""

    def __init__(self):
        self.threshold = int(os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2") or 0)
        self._thread = self._saved = self._write = None

    def __enter__(self):
        if os.environ.get("TFGAN_ZOO_RAW_STDERR") or self.threshold <= 0:
            return self
        sys.stderr.flush()
        self._saved = os.dup(2)
        read, self._write = os.pipe()
        os.dup2(self._write, 2)
        self._thread = threading.Thread(target=self._pump, args=(read,), daemon=True)
        self._thread.start()
        return self

    def _pump(self, read):
        with os.fdopen(read, "rb", buffering=0) as pipe:
            pending = b""
            while True:
                chunk = pipe.read(65536)
                if not chunk:
                    break
                pending += chunk
                *lines, pending = pending.split(b"\n")
                kept = b"".join(line + b"\n" for line in lines if not noise(line, self.threshold))
                self._forward(kept)
            if pending and not noise(pending, self.threshold):
                self._forward(pending)

    def _forward(self, data):
        while data:
            data = data[os.write(self._saved, data):]

    def __exit__(self, *exc):
        if self._thread is None:
            return False
        sys.stderr.flush()
        os.dup2(self._saved, 2)  # the pipe's last writer but `_write` (and any child) is gone
        os.close(self._write)
        self._thread.join(timeout=5)
        os.close(self._saved)
        self._thread = None
        return False
