"""Telling the server a run is alive, and how it ended when the script dies.

A script can die without saying so, so the server fails a RUNNING run it hears
nothing from for the run's timeoutSeconds (createRun; default 3600, 0: never).

- Heartbeat: while a run is open, a thread sends `heartbeat(runId)` every
  `interval` seconds, so a long evaluation that logs nothing keeps its run
  alive. Heartbeats are liveness, not data: they go straight to the server (a
  missed one is simply skipped, never spooled), and only once the run's
  creation has been delivered (before, the server does not know the run).
- The excepthook: an exception nobody catches marks every open run FAILED with
  "ExcType: message" (Ctrl-C: CANCELLED) before Python prints the traceback,
  waiting at most EPOCHAL_EXIT_FLUSH_SECONDS (10) for delivery.
"""
import logging
import os
import sys
import threading
import time

log = logging.getLogger("epochal")

HEARTBEAT = "mutation EpochalHeartbeat($runId: ID!) { heartbeat(runId: $runId) { id } }"
DEFAULT_TIMEOUT_SECONDS = 3600  # the server's default for CreateRunInput.timeoutSeconds
MAX_TIMEOUT_SECONDS = 30 * 24 * 3600  # the server's limit
# Worth another beat later: the server is away or busy (the same codes the sender retries).
_TRANSIENT = {"SERVICE_UNAVAILABLE", "RATE_LIMITED", "INTERNAL_SERVER_ERROR", "UNREACHABLE"}


def check_timeout(timeout_seconds):
    """Refuses a bad timeout here: the run's creation is sent later, and refused there it would lose the whole run."""
    if timeout_seconds is None:
        return None
    if isinstance(timeout_seconds, bool) or int(timeout_seconds) != timeout_seconds or not 0 <= timeout_seconds <= MAX_TIMEOUT_SECONDS:
        raise ValueError("timeout_seconds must be a whole number of seconds from 0 (never) to %d (30 days), not %r"
                         % (MAX_TIMEOUT_SECONDS, timeout_seconds))
    return int(timeout_seconds)


def default_interval(timeout_seconds):
    """A third of the timeout, so two beats can be lost without the run failing; at most a minute. None: no heartbeats."""
    timeout = DEFAULT_TIMEOUT_SECONDS if timeout_seconds is None else timeout_seconds
    return None if timeout == 0 else min(60.0, timeout / 3.0)


class Heartbeat:
    """The heartbeat thread of one run; `created` is set once the run's creation reached the server."""

    def __init__(self, client, run_id, created, interval):
        self._client = client
        self._run_id = run_id
        self._created = created
        self._interval = interval
        self._stopped = threading.Event()
        if interval is not None and not interval > 0:
            raise ValueError("heartbeat_interval must be > 0 seconds, not %r" % interval)
        if interval:
            threading.Thread(target=self._loop, name="epochal-heartbeat-%s" % run_id[:8], daemon=True).start()

    def stop(self):
        self._stopped.set()

    def _loop(self):
        while not self._stopped.wait(self._interval):
            if not self._created.is_set():
                continue  # the server would answer NOT_FOUND; the creation itself counts as a report
            try:
                self._client.request(HEARTBEAT, {"runId": self._run_id}, retries=0)
            except Exception as error:  # noqa: BLE001
                if getattr(error, "code", None) in _TRANSIENT:
                    continue  # skipped, not queued: the next beat says the same
                if not self._stopped.is_set():
                    log.warning("epochal: run %s: heartbeats stop: %s", self._run_id, error)
                return  # finished, failed by the server, or refused: nothing left to keep alive


def outcome(exc_type, exc):
    """(status, error) of a run ended by an exception: Ctrl-C is the user stopping it, anything else a failure."""
    text = "%s: %s" % (exc_type.__name__, exc) if str(exc) else exc_type.__name__
    return ("CANCELLED" if issubclass(exc_type, KeyboardInterrupt) else "FAILED"), text[:10_000]


def exit_flush_seconds():
    return float(os.environ.get("EPOCHAL_EXIT_FLUSH_SECONDS", "10"))


_open_runs = set()  # runs of this process not yet finished
_previous_excepthook = None


def opened(run):
    """Tracks a started run (for the excepthook), installing the hook the first time."""
    global _previous_excepthook
    _open_runs.add(run)
    if _previous_excepthook is None:
        _previous_excepthook = sys.excepthook
        sys.excepthook = _excepthook


def closed(run):
    _open_runs.discard(run)


def _excepthook(exc_type, exc, traceback):
    try:
        runs = list(_open_runs)
        status, error = outcome(exc_type, exc)
        for run in runs:
            run.close(status, error)  # every run's ending is spooled first, then all are sent together
        deadline = time.monotonic() + exit_flush_seconds()
        for run in runs:
            run.wait_at_exit(max(0.0, deadline - time.monotonic()))
    except Exception:  # noqa: BLE001 - never hide the script's own error behind ours
        log.exception("epochal: could not end the open runs")
    finally:
        _previous_excepthook(exc_type, exc, traceback)
