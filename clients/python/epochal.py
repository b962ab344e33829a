"""Epochal client for training scripts: one file, Python standard library only.

    import epochal
    run = epochal.start_run("vgg16-oct", tags=["study"], config={"lr": 1e-3})
    model.fit(..., callbacks=[epochal.KerasCallback(run)])
    run.record_evaluation(labels, confusion_matrix)
    epochal.finish_run(run)

Writes go through an ordered outbox sent by a background thread: metric points
are batched, and when the server is unreachable everything stays in the outbox
and is sent, in order, once it is back. Resending is safe: the server stores a
point by (run, key, step) and an epoch by (run, phase, index), so a retried
request replaces what it sent before and never duplicates it.

Settings: EPOCHAL_URL (default http://127.0.0.1:4000/graphql), EPOCHAL_API_KEY.
"""
import atexit
import json
import logging
import math
import os
import random
import threading
import time
import urllib.error
import urllib.request

__all__ = ["Client", "Run", "EpochalError", "KerasCallback", "Logger", "start_run", "finish_run"]
__version__ = "0.1.0"

log = logging.getLogger("epochal")

MAX_POINTS_PER_REQUEST = 10_000  # the server's batch limit
# Codes worth retrying: the server or the database is briefly unavailable, or we are going too fast.
RETRYABLE_CODES = {"SERVICE_UNAVAILABLE", "RATE_LIMITED", "INTERNAL_SERVER_ERROR"}



def _as_series(points):
    """A batch's points as one series per key, in the order given: the columnar
    form (logMetricSeries) the server coerces and stores several times faster
    than one object per point; within a key the last point of a step still wins."""
    by_key = {}
    for point in points:
        series = by_key.get(point["key"])
        if series is None:
            series = by_key[point["key"]] = {"key": point["key"], "steps": [], "values": []}
        series["steps"].append(point["step"])
        series["values"].append(point["value"])
    return list(by_key.values())

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

    def start_run(self, name, config=None, tags=None, dataset_id=None, **outbox_options):
        """Creates an EXTERNAL run (RUNNING at once) and returns it. Retries for about a minute if the server is down."""
        data = self.request(
            "mutation EpochalStartRun($input: CreateRunInput!) { createRun(input: $input) { id name status } }",
            {"input": {"name": name, "config": config, "tags": tags or [], "datasetId": dataset_id}},
            retries=max(self.retries, 8),
        )
        return Run(self, data["createRun"]["id"], name, **outbox_options)


def _finite(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


class Run:
    """A run being reported into. Every log_* call returns at once; a background thread sends."""

    def __init__(self, client, run_id, name=None, flush_interval=2.0, max_buffered_points=2_000_000):
        self.client = client
        self.id = run_id
        self.name = name
        self.flush_interval = flush_interval
        self.max_buffered_points = max_buffered_points
        self._outbox = []  # ordered: ("points", [..]) | ("epoch", {...}) | ("evaluation", {...}) | ("finish", {...})
        self._buffered_points = 0
        self._lock = threading.Condition()
        self._sending = False
        self._closed = False
        self._flush_requested = False
        # The next batch step: callbacks and loggers of later phases continue from here, so
        # fine-tuning's batch losses follow training's instead of overwriting them.
        self.batch_step = 0
        self.last_error = None
        self._thread = threading.Thread(target=self._send_loop, name="epochal-%s" % run_id[:8], daemon=True)
        self._thread.start()
        atexit.register(self._flush_at_exit)

    # -- what scripts call -------------------------------------------------
    def log_metric(self, key, value, step):
        self.log_metrics({key: value}, step)

    def log_metrics(self, values, step):
        """Points at one step, e.g. log_metrics({"batch_loss": 0.41}, step=1200). Non-finite values are skipped."""
        points = []
        for key, value in values.items():
            value = _finite(value)
            if value is not None:
                points.append({"key": str(key), "step": int(step), "value": value})
        if not points:
            return
        with self._lock:
            if self._buffered_points + len(points) > self.max_buffered_points:
                # Bounded memory during a long outage: the oldest points go first, and we say so.
                self._drop_oldest_points(len(points))
            if self._outbox and self._outbox[-1][0] == "points" and len(self._outbox[-1][1]) + len(points) <= MAX_POINTS_PER_REQUEST:
                self._outbox[-1][1].extend(points)
            else:
                self._outbox.append(("points", points))
            self._buffered_points += len(points)
            self._lock.notify_all()

    def log_epoch(self, index, phase="train", loss=None, accuracy=None, val_loss=None, val_accuracy=None, learning_rate=None, duration_ms=None):
        """One epoch (0-based within its phase, "train" or "finetune"); sending it again replaces it."""
        epoch = {"phase": phase, "index": int(index), "loss": _finite(loss), "accuracy": _finite(accuracy), "valLoss": _finite(val_loss),
                 "valAccuracy": _finite(val_accuracy), "learningRate": _finite(learning_rate),
                 "durationMs": None if duration_ms is None else int(duration_ms)}
        self._enqueue(("epoch", epoch))

    def record_evaluation(self, labels, confusion_matrix):
        """The TEST split's confusion matrix (rows: true labels, columns: predicted, in `labels` order)."""
        matrix = [[int(v) for v in row] for row in confusion_matrix]
        self._enqueue(("evaluation", {"labels": [str(label) for label in labels], "confusionMatrix": matrix}))

    def finish(self, status="SUCCEEDED", error=None, timeout=120.0):
        """Sends what is buffered, then ends the run. Returns True when everything reached the server in time."""
        self._enqueue(("finish", {"status": status, "error": error}))
        delivered = self.flush(timeout)
        if not delivered:
            log.warning("epochal: run %s: %d operations not delivered after %.0f s (%s); they are lost when this process exits",
                        self.id, self.pending(), timeout, self.last_error)
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        return delivered

    def flush(self, timeout=60.0):
        """Waits until the outbox is empty (True) or `timeout` seconds pass (False)."""
        deadline = time.monotonic() + (timeout if timeout is not None else 1e9)
        with self._lock:
            self._flush_requested = True
            self._lock.notify_all()
            try:
                while self._outbox or self._sending:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self._lock.wait(min(left, 0.5))
            finally:
                self._flush_requested = False
        return True

    def pending(self):
        """Operations not yet acknowledged by the server (a metric batch counts once)."""
        with self._lock:
            return len(self._outbox) + (1 if self._sending else 0)

    def pending_points(self):
        with self._lock:
            return self._buffered_points

    # -- the sender ----------------------------------------------------------
    def _enqueue(self, operation):
        with self._lock:
            self._outbox.append(operation)
            self._lock.notify_all()

    def _drop_oldest_points(self, room):
        for i, (kind, points) in enumerate(self._outbox):
            if kind == "points":
                dropped = points[:room]
                del points[:room]
                self._buffered_points -= len(dropped)
                if not points:
                    del self._outbox[i]
                log.warning("epochal: run %s: buffer full (%d points), dropped the %d oldest", self.id, self.max_buffered_points, len(dropped))
                return

    def _send_loop(self):
        attempt = 0
        while True:
            with self._lock:
                while not self._outbox and not self._closed:
                    self._lock.wait()
                if not self._outbox and self._closed:
                    return
                # Let points gather for up to flush_interval so they travel together, unless
                # someone is flushing, something else is queued, or we are retrying anyway.
                deadline = time.monotonic() + self.flush_interval
                while (attempt == 0 and not self._flush_requested and not self._closed and len(self._outbox) == 1
                       and self._outbox[0][0] == "points" and len(self._outbox[0][1]) < 1000 and time.monotonic() < deadline):
                    self._lock.wait(deadline - time.monotonic())
                if not self._outbox:
                    continue  # emptied by _drop_oldest_points while we waited
                operation = self._outbox.pop(0)
                self._sending = True
            try:
                self._send(operation)
                attempt = 0
                with self._lock:
                    if operation[0] == "points":
                        self._buffered_points -= len(operation[1])
            except EpochalError as error:
                if error.code == "UNREACHABLE" or error.code in RETRYABLE_CODES:
                    # Keep it (first in line, so order is kept) and try again later.
                    with self._lock:
                        self._outbox.insert(0, operation)
                    self.last_error = error
                    time.sleep(self.client.delay(min(attempt, 6)))
                    attempt += 1
                else:
                    # The server will never accept this one (a finished run, bad input): drop it, say why.
                    self.last_error = error
                    with self._lock:
                        if operation[0] == "points":
                            self._buffered_points -= len(operation[1])
                    log.error("epochal: run %s: %s refused: %s", self.id, operation[0], error)
            finally:
                with self._lock:
                    self._sending = False
                    self._lock.notify_all()

    def _send(self, operation):
        kind, payload = operation
        # One attempt per call: the loop above owns retrying, so a long outage never blocks log_* calls.
        request = lambda query, variables: self.client.request(query, variables, retries=0)  # noqa: E731
        if kind == "points":
            request("mutation EpochalLogMetricSeries($runId: ID!, $series: [MetricSeriesInput!]!) { logMetricSeries(runId: $runId, series: $series) { accepted } }",
                    {"runId": self.id, "series": _as_series(payload)})
        elif kind == "epoch":
            request("mutation EpochalLogEpoch($runId: ID!, $input: EpochInput!) { logEpoch(runId: $runId, input: $input) { index } }",
                    {"runId": self.id, "input": payload})
        elif kind == "evaluation":
            request("mutation EpochalRecordEvaluation($runId: ID!, $input: EvaluationInput!) { recordEvaluation(runId: $runId, input: $input) { accuracy } }",
                    {"runId": self.id, "input": payload})
        elif kind == "finish":
            try:
                request("mutation EpochalFinishRun($id: ID!, $status: RunStatus!, $error: String) { finishRun(id: $id, status: $status, error: $error) { status } }",
                        {"id": self.id, "status": payload["status"], "error": payload["error"]})
            except EpochalError as error:
                # A retried finish whose first attempt got through: the run is already finished.
                if error.code != "CONFLICT":
                    raise

    def _flush_at_exit(self):
        if not self._closed and self.pending():
            self.flush(timeout=float(os.environ.get("EPOCHAL_EXIT_FLUSH_SECONDS", "30")))


_default_client = None


def start_run(name, config=None, tags=None, dataset_id=None, url=None, api_key=None, **outbox_options):
    """Creates an EXTERNAL run on the server (EPOCHAL_URL) and returns it."""
    global _default_client
    client = Client(url, api_key) if (url or api_key) else (_default_client or Client())
    _default_client = _default_client or client
    return client.start_run(name, config=config, tags=tags, dataset_id=dataset_id, **outbox_options)


def finish_run(run, status="SUCCEEDED", error=None, timeout=120.0):
    """Sends everything buffered, then marks the run SUCCEEDED (or FAILED/CANCELLED, with `error`)."""
    return run.finish(status=status, error=error, timeout=timeout)


class Logger:
    """For PyTorch-style loops: log_batch every batch (every Nth is sent), log_epoch at each epoch's end."""

    def __init__(self, run, log_every_n_batches=10, phase="train"):
        self.run = run
        self.every = max(1, int(log_every_n_batches))
        self.phase = phase
        self._epoch_started = time.monotonic()

    def log_batch(self, step=None, **metrics):
        """log_batch(loss=loss.item()) → the "batch_loss" series; `step` defaults to the run's running batch counter."""
        step = self.run.batch_step if step is None else int(step)
        self.run.batch_step = step + 1
        if step % self.every == 0:
            self.run.log_metrics({"batch_" + key: value for key, value in metrics.items()}, step)

    def log_epoch(self, index, **values):
        """log_epoch(i, loss=..., accuracy=..., val_loss=..., val_accuracy=..., learning_rate=...)."""
        values.setdefault("duration_ms", int((time.monotonic() - self._epoch_started) * 1000))
        values.setdefault("phase", self.phase)
        self.run.log_epoch(index, **values)
        self._epoch_started = time.monotonic()


_keras_callback_class = None


def _keras_base():
    for module in ("keras", "tensorflow.keras"):
        try:
            return __import__(module, fromlist=["callbacks"]).callbacks.Callback
        except ImportError:
            continue
    return object  # no Keras here: the same methods, callable by hand (and by tests)


def KerasCallback(run, log_every_n_batches=10, phase="train"):
    """A keras.callbacks.Callback: each epoch → logEpoch; every Nth batch → buffered batch metrics.

    Use phase="finetune" on the callback of the fine-tuning fit(). Keras is
    imported only here, so `import epochal` stays fast.
    """
    global _keras_callback_class
    if _keras_callback_class is None:
        base = _keras_base()

        class EpochalKerasCallback(base):
            def __init__(self, run, every, phase):
                super().__init__()
                self.run, self.every, self.phase = run, max(1, int(every)), phase
                self.first_epoch = None
                self.epoch_started = time.monotonic()

            def on_train_begin(self, logs=None):
                self.first_epoch = None  # each fit() numbers its phase's epochs from 0

            def on_epoch_begin(self, epoch, logs=None):
                self.epoch_started = time.monotonic()
                if self.first_epoch is None:
                    self.first_epoch = epoch

            def on_train_batch_end(self, batch, logs=None):
                step = self.run.batch_step
                self.run.batch_step += 1
                if step % self.every == 0 and logs:
                    self.run.log_metrics({"batch_" + k: v for k, v in logs.items() if k not in ("batch", "size")}, step)

            def on_epoch_end(self, epoch, logs=None):
                logs = dict(logs or {})
                if self.first_epoch is None:
                    self.first_epoch = epoch
                self.run.log_epoch(
                    epoch - self.first_epoch, phase=self.phase, loss=logs.get("loss"),
                    accuracy=logs.get("accuracy", logs.get("acc")), val_loss=logs.get("val_loss"),
                    val_accuracy=logs.get("val_accuracy", logs.get("val_acc")),
                    learning_rate=logs.get("learning_rate", logs.get("lr", self._learning_rate())),
                    duration_ms=int((time.monotonic() - self.epoch_started) * 1000))

            def _learning_rate(self):
                try:
                    lr = self.model.optimizer.learning_rate
                    return float(lr.numpy() if hasattr(lr, "numpy") else lr)
                except Exception:  # a schedule, or no model: the epoch is logged without it
                    return None

        _keras_callback_class = EpochalKerasCallback
    return _keras_callback_class(run, log_every_n_batches, phase)
