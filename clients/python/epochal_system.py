"""System metrics of a run's process, logged as `system/*` series every 10 s
(EPOCHAL_SYSTEM_METRICS_SECONDS; 0 turns them off): CPU % of this process
(100 = one core busy) and its resident memory, from psutil when installed,
else from /proc (Linux); elsewhere without psutil, none. The step is the
number of seconds since the run started.
"""
import os
import threading
import time

try:  # optional: the standard library is enough on Linux
    import psutil  # type: ignore
except ImportError:  # pragma: no cover - depends on the machine
    psutil = None

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _cpu_seconds():
    """User + system CPU time of this process, or None where it cannot be read."""
    if psutil:
        times = psutil.Process().cpu_times()
        return times.user + times.system
    try:
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime (fields 14 and 15 of stat)
    except (OSError, IndexError, ValueError):
        return None


def _memory_mb():
    if psutil:
        return psutil.Process().memory_info().rss / 1e6
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _PAGE / 1e6
    except (OSError, IndexError, ValueError):
        return None


def sample(previous):
    """One sample: ({key: value}, state for the next). CPU % needs two samples, so the first has none."""
    now = time.monotonic()
    cpu = _cpu_seconds()
    values = {}
    memory = _memory_mb()
    if memory is not None:
        values["system/memory_mb"] = memory
    if cpu is not None and previous and previous[1] is not None and now > previous[0]:
        values["system/cpu_percent"] = 100.0 * (cpu - previous[1]) / (now - previous[0])
    return values, (now, cpu)


class SystemMetrics:
    """The sampling thread of one run; stop() when the run ends."""

    def __init__(self, run, every=None):
        if every is None:
            every = float(os.environ.get("EPOCHAL_SYSTEM_METRICS_SECONDS", "10"))
        self._run = run
        self._every = every
        self._stopped = threading.Event()
        if every and every > 0:
            threading.Thread(target=self._loop, name="epochal-system-%s" % run.id[:8], daemon=True).start()

    def stop(self):
        self._stopped.set()

    def _loop(self):
        started = time.monotonic()
        state = sample(None)[1]
        while not self._stopped.wait(self._every):
            values, state = sample(state)
            if values and not self._stopped.is_set():
                self._run.log_metrics(values, int(time.monotonic() - started))
