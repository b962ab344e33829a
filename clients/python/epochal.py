"""Epochal client for training scripts, Python standard library only.

    import epochal
    with epochal.run("vgg16-oct", config={"lr": 1e-3}, project="oct") as run:
        model.fit(..., callbacks=[epochal.KerasCallback(run)])
        run.log({"test_accuracy": 0.93})
        run.record_evaluation(labels, confusion_matrix)

Every call writes to a durable spool on disk and returns at once, whether the
server is there or not (epochal_spool.py); a background thread sends it in
order (epochal_sender.py). Resending is safe: the run's id is chosen here, and
the server stores a point by (run, key, step) and an epoch by (run, phase,
index), so a retried request replaces what it sent before and never duplicates
it. What a killed process left unsent goes with the next run started on the
machine, or with `python -m epochal sync`.

Liveness (epochal_liveness.py): the server fails a run silent for its
timeout_seconds (default 3600; 0: never), so heartbeats keep an open run alive,
and an uncaught exception ends every open run FAILED (Ctrl-C: CANCELLED).

Settings: EPOCHAL_URL (default http://127.0.0.1:4000/graphql), EPOCHAL_API_KEY,
EPOCHAL_SPOOL_DIR (default ~/.cache/epochal/spool).
"""
import atexit
import json
import logging
import math
import os
import random
import time
import urllib.error
import urllib.request

import epochal_liveness as liveness
from epochal_spool import Spool
from epochal_sender import Sender, sync_orphans, sync_orphans_wait
from epochal_frameworks import KerasCallback, Logger  # noqa: F401 - part of the API
from epochal_system import SystemMetrics

__all__ = ["Client", "Run", "EpochalError", "KerasCallback", "Logger", "run", "start_run", "finish_run", "sync"]
__version__ = "0.1.0"

log = logging.getLogger("epochal")

# Codes worth retrying: the server or the database is briefly unavailable, or we are going too fast.
RETRYABLE_CODES = {"SERVICE_UNAVAILABLE", "RATE_LIMITED", "INTERNAL_SERVER_ERROR"}


class EpochalError(Exception):
    """The server refused a request; `code` is its extensions.code (BAD_USER_INPUT, NOT_FOUND, ...)."""

    def __init__(self, code, message):
        super().__init__("%s: %s" % (code, message))
        self.code = code
        self.message = message


class _Unreachable(Exception):
    """No answer (connection refused, timeout, HTTP 5xx): try again later."""


class Client:
    """The HTTP transport: one GraphQL request at a time, retried with exponential backoff and jitter."""

    def __init__(self, url=None, api_key=None, timeout=15.0, retries=5, backoff=0.5, max_backoff=30.0):
        self.url = url or os.environ.get("EPOCHAL_URL", "http://127.0.0.1:4000/graphql")
        self.api_key = api_key if api_key is not None else os.environ.get("EPOCHAL_API_KEY")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff

    def _post_once(self, query, variables):
        body = json.dumps({"query": query, "variables": variables}).encode("utf-8")
        headers = {"content-type": "application/json", "user-agent": "epochal-python/" + __version__}
        if self.api_key:
            headers["authorization"] = "Bearer " + self.api_key
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            try:
                payload = json.loads(error.read().decode("utf-8"))
            except ValueError:
                payload = None
            if payload is None or error.code in (502, 503, 504):
                raise _Unreachable("HTTP %d from %s" % (error.code, self.url))
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise _Unreachable("%s: %s" % (self.url, getattr(error, "reason", error)))
        errors = payload.get("errors") or []
        if errors:
            first = errors[0]
            raise EpochalError((first.get("extensions") or {}).get("code", "INTERNAL_SERVER_ERROR"), first.get("message", "request failed"))
        return payload.get("data")

    def delay(self, attempt):
        """Seconds to wait before retry number `attempt` (0-based): 0.5, 1, 2, 4 ... up to max_backoff, with jitter."""
        return min(self.max_backoff, self.backoff * (2 ** attempt)) * random.uniform(0.5, 1.0)

    def request(self, query, variables=None, retries=None):
        """Sends a query or mutation; retries when unreachable or told to retry; raises EpochalError otherwise."""
        retries = self.retries if retries is None else retries
        attempt = 0
        while True:
            try:
                return self._post_once(query, variables or {})
            except _Unreachable as error:
                last = error
            except EpochalError as error:
                if error.code not in RETRYABLE_CODES:
                    raise
                last = error
            if attempt >= retries:
                if isinstance(last, EpochalError):
                    raise last
                raise EpochalError("UNREACHABLE", str(last))
            time.sleep(self.delay(attempt))
            attempt += 1

    def start_run(self, name, config=None, tags=None, dataset_id=None, project=None, **options):
        """Starts an EXTERNAL run through this client; returns at once (see epochal.start_run)."""
        return Run(self, name, config=config, tags=tags, dataset_id=dataset_id, project=project, **options)


def _finite(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


class _Tracked(dict):
    """A dict whose changes are also logged: Run.config (→ logParams) and Run.summary (→ summary/<key> points)."""

    def __init__(self, initial, on_change):
        super().__init__(initial or {})
        self._on_change = on_change

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._on_change({key: value})

    def update(self, *args, **kwargs):
        changes = dict(*args, **kwargs)
        super().update(changes)
        self._on_change(changes)


class Run:
    """A run being reported into. Every call writes to the run's spool on disk and returns at once; a background thread sends.

    The run's id is chosen here, so a run exists (and can be logged into) before
    the server has heard of it: its creation is the spool's first operation.
    """

    def __init__(self, client, name, config=None, tags=None, dataset_id=None, project=None, system_metrics=None, run_id=None,
                 timeout_seconds=None, heartbeat_interval=None):
        timeout_seconds = liveness.check_timeout(timeout_seconds)
        if timeout_seconds == 0:
            heartbeat_interval = None  # the server never fails it for silence: nothing to keep alive
        elif heartbeat_interval is None:
            heartbeat_interval = liveness.default_interval(timeout_seconds)
        self.client = client
        self.name = name
        self.spool = Spool.create(client.url, run_id=run_id)
        self.id = self.spool.run_id
        self.step = 0  # log() without a step logs here, then moves on
        # The next batch step: callbacks and loggers of later phases continue from here, so
        # fine-tuning's batch losses follow training's instead of overwriting them.
        self.batch_step = 0
        self._finished = False
        self._started = time.monotonic()
        create = {"id": self.id, "name": name, "config": config or {}, "tags": list(tags or []), "datasetId": dataset_id, "project": project}
        if timeout_seconds is not None:
            create["timeoutSeconds"] = timeout_seconds
        self.spool.append({"op": "create", "input": create})
        self.config = _Tracked(config, lambda changes: self._append({"op": "params", "params": _jsonable(changes)}))
        self.summary = _Tracked({}, self._log_summary)
        self._sender = Sender(client, self.spool, self.id, name="epochal-%s" % self.id[:8])
        self._system = SystemMetrics(self, system_metrics)
        self.heartbeat_interval = heartbeat_interval
        self._heartbeat = liveness.Heartbeat(client, self.id, self._sender.created, heartbeat_interval)
        self._waited_at_exit = False
        liveness.opened(self)
        atexit.register(self._flush_at_exit)

    @property
    def last_error(self):
        return self._sender.last_error

    # -- what scripts call -------------------------------------------------
    def log(self, values, step=None):
        """W&B-style: log({"loss": 0.4, "acc": 0.9}) at the run's running step, which then moves on by one."""
        step = self.step if step is None else int(step)
        self.step = step + 1
        self.log_metrics(values, step)

    def log_metric(self, key, value, step):
        self.log_metrics({key: value}, step)

    def log_metrics(self, values, step):
        """Points at one step, e.g. log_metrics({"batch_loss": 0.41}, step=1200). Non-finite and non-numeric values are skipped."""
        points = []
        for key, value in values.items():
            value = _finite(value)
            if value is not None:
                points.append({"key": str(key), "step": int(step), "value": value})
        if points:
            self._append({"op": "points", "points": points})

    def log_epoch(self, index, phase="train", loss=None, accuracy=None, val_loss=None, val_accuracy=None, learning_rate=None, duration_ms=None):
        """One epoch (0-based within its phase, "train" or "finetune"); sending it again replaces it."""
        epoch = {"phase": phase, "index": int(index), "loss": _finite(loss), "accuracy": _finite(accuracy), "valLoss": _finite(val_loss),
                 "valAccuracy": _finite(val_accuracy), "learningRate": _finite(learning_rate),
                 "durationMs": None if duration_ms is None else int(duration_ms)}
        self._append({"op": "epoch", "input": epoch})

    def record_evaluation(self, labels, confusion_matrix):
        """The TEST split's confusion matrix (rows: true labels, columns: predicted, in `labels` order)."""
        matrix = [[int(v) for v in row] for row in confusion_matrix]
        self._append({"op": "evaluation", "input": {"labels": [str(label) for label in labels], "confusionMatrix": matrix}})

    def log_artifact(self, path, name=None):
        """A file the run produced (a model, a report): copied into the spool now, uploaded in order."""
        name = name or os.path.basename(path)
        kept = self.spool.keep_file(path, name)
        self._append({"op": "artifact", "file": kept, "name": name})

    def finish(self, status="SUCCEEDED", error=None, timeout=120.0):
        """Ends the run after everything logged before. Returns True when it all reached the server within `timeout`.

        When it did not, nothing is lost: it stays in the spool, and this process
        (while it lives), the next run started on this machine, or `python -m
        epochal sync` sends it.
        """
        self.close(status, error)
        delivered = self.flush(timeout)
        if not delivered:
            log.warning("epochal: run %s not fully delivered after %.0f s (%s); it stays in %s for `python -m epochal sync`",
                        self.id, timeout, self.last_error, self.spool.folder)
        return delivered

    def close(self, status="SUCCEEDED", error=None):
        """Spools the run's end (once) and stops its threads, without waiting for delivery; finish() also waits."""
        if self._finished:
            return
        self._finished = True
        self._system.stop()
        self._heartbeat.stop()
        liveness.closed(self)
        self._append({"op": "finish", "status": status, "error": None if error is None else str(error)[:10_000]})

    def wait_at_exit(self, timeout):
        """The process is ending: waits up to `timeout` seconds for delivery, once (the excepthook, or atexit)."""
        if self._waited_at_exit or self._sender.finished or not self.spool.has_pending():
            return
        self._waited_at_exit = True
        if not self.flush(timeout):
            log.warning("epochal: run %s not fully delivered at exit (%s); it stays in %s for `python -m epochal sync`",
                        self.id, self.last_error, self.spool.folder)

    def flush(self, timeout=60.0):
        """Waits until everything spooled is acknowledged (True) or `timeout` seconds pass (False)."""
        return self._sender.wait_idle(timeout)

    def pending(self):
        """True while something spooled is not yet acknowledged by the server."""
        return self.spool.has_pending() and not self._sender.finished

    # -- a with block ----------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is None:
            self.finish("SUCCEEDED")
        else:
            self.finish(*liveness.outcome(kind, error))  # FAILED "ExcType: message"; Ctrl-C: CANCELLED
        return False  # the exception goes on

    # -- inside ------------------------------------------------------------------
    def _append(self, operation):
        self.spool.append(operation)
        self._sender.wake()

    def _log_summary(self, changes):
        # A summary value is the series summary/<key> with one point, at step 0: setting it again replaces it.
        self.log_metrics({"summary/%s" % key: value for key, value in changes.items()}, 0)

    def _flush_at_exit(self):
        self.wait_at_exit(liveness.exit_flush_seconds())


def _jsonable(values):
    return json.loads(json.dumps(values, default=str))


_default_client = None
_orphans_checked = False


def _client(url=None, api_key=None):
    global _default_client
    if url or api_key:
        return Client(url, api_key)
    _default_client = _default_client or Client()
    return _default_client


def _send_orphans_once(url, api_key):
    """The first run of a process also sends what runs of dead processes left in the spool (in the background)."""
    global _orphans_checked
    if _orphans_checked or os.environ.get("EPOCHAL_SYNC_ON_START", "1") == "0":
        return
    _orphans_checked = True
    sync_orphans(lambda spooled_url: Client(spooled_url, api_key if spooled_url == url else None), wait=False)
    atexit.register(lambda: sync_orphans_wait(float(os.environ.get("EPOCHAL_EXIT_FLUSH_SECONDS", "10"))))


def start_run(name, config=None, tags=None, dataset_id=None, project=None, url=None, api_key=None, system_metrics=None, run_id=None,
              timeout_seconds=None, heartbeat_interval=None):
    """Starts an EXTERNAL run and returns it at once, whether or not the server is reachable (EPOCHAL_URL).

    timeout_seconds: how long the server waits without a report (a point, an epoch, a heartbeat) before it
    fails the run (default 3600; 0: never). heartbeat_interval: seconds between heartbeats (default a third
    of the timeout, at most 60).
    """
    client = _client(url, api_key)
    run = Run(client, name, config=config, tags=tags, dataset_id=dataset_id, project=project, system_metrics=system_metrics, run_id=run_id,
              timeout_seconds=timeout_seconds, heartbeat_interval=heartbeat_interval)
    _send_orphans_once(client.url, client.api_key)
    return run


def run(name, config=None, tags=None, dataset_id=None, project=None, **options):
    """`with epochal.run("name", config={...}) as run:` ends SUCCEEDED, or FAILED with the exception's text."""
    return start_run(name, config=config, tags=tags, dataset_id=dataset_id, project=project, **options)


def finish_run(run, status="SUCCEEDED", error=None, timeout=120.0):
    """Sends everything spooled, then marks the run SUCCEEDED (or FAILED/CANCELLED, with `error`)."""
    return run.finish(status=status, error=error, timeout=timeout)


def sync(url=None, api_key=None, timeout=None):
    """Sends what dead processes left in the spool and ends their runs FAILED; returns (runs found, runs delivered)."""
    api_key = api_key if api_key is not None else os.environ.get("EPOCHAL_API_KEY")
    return sync_orphans(lambda spooled_url: Client(url or spooled_url, api_key), wait=True, timeout=timeout)


if __name__ == "__main__":
    from epochal_cli import main

    raise SystemExit(main())
