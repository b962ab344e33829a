"""Sends a spool (epochal_spool.Spool) to the server, in order, one request per
operation (consecutive points merged), acknowledging each on disk once the
server has answered. Unreachable or told to retry: wait and try again, for as
long as the process lives. Refused for good (bad input, a finished run): that
operation is dropped with a log line, so one bad value never blocks the rest.
"""
import logging
import os
import threading
import time
import urllib.error
import urllib.request

log = logging.getLogger("epochal")

RETRYABLE_CODES = {"SERVICE_UNAVAILABLE", "RATE_LIMITED", "INTERNAL_SERVER_ERROR", "UNREACHABLE"}

CREATE_RUN = "mutation EpochalCreateRun($input: CreateRunInput!) { createRun(input: $input) { id } }"
LOG_METRIC_SERIES = "mutation EpochalLogMetricSeries($runId: ID!, $series: [MetricSeriesInput!]!) { logMetricSeries(runId: $runId, series: $series) { accepted } }"


def as_series(points):
    """A batch's points as one series per key, in the order given: the columnar
    form (logMetricSeries) the server coerces several times faster than one
    object per point; within a key the last point of a step still wins."""
    by_key = {}
    for point in points:
        series = by_key.get(point["key"])
        if series is None:
            series = by_key[point["key"]] = {"key": point["key"], "steps": [], "values": []}
        series["steps"].append(point["step"])
        series["values"].append(point["value"])
    return list(by_key.values())
LOG_EPOCH = "mutation EpochalLogEpoch($runId: ID!, $input: EpochInput!) { logEpoch(runId: $runId, input: $input) { index } }"
LOG_PARAMS = "mutation EpochalLogParams($runId: ID!, $params: JSON!) { logParams(runId: $runId, params: $params) { id } }"
RECORD_EVALUATION = "mutation EpochalRecordEvaluation($runId: ID!, $input: EvaluationInput!) { recordEvaluation(runId: $runId, input: $input) { accuracy } }"
FINISH_RUN = "mutation EpochalFinishRun($id: ID!, $status: RunStatus!, $error: String) { finishRun(id: $id, status: $status, error: $error) { status } }"


def send_operation(client, run_id, spool, operation):
    """One operation, one attempt; raises the client's EpochalError when it fails."""
    kind = operation["op"]
    request = lambda query, variables: client.request(query, variables, retries=0)  # noqa: E731
    if kind == "create":
        request(CREATE_RUN, {"input": operation["input"]})
    elif kind == "points":
        request(LOG_METRIC_SERIES, {"runId": run_id, "series": as_series(operation["points"])})
    elif kind == "epoch":
        request(LOG_EPOCH, {"runId": run_id, "input": operation["input"]})
    elif kind == "params":
        request(LOG_PARAMS, {"runId": run_id, "params": operation["params"]})
    elif kind == "evaluation":
        request(RECORD_EVALUATION, {"runId": run_id, "input": operation["input"]})
    elif kind == "artifact":
        upload_artifact(client, run_id, os.path.join(spool.folder, operation["file"]), operation["name"])
    elif kind == "finish":
        try:
            request(FINISH_RUN, {"id": run_id, "status": operation["status"], "error": operation.get("error")})
        except Exception as error:  # noqa: BLE001 - a retried finish whose first attempt got through
            if getattr(error, "code", None) != "CONFLICT":
                raise
    else:
        log.error("epochal: run %s: unknown spool operation %r skipped", run_id, kind)


def upload_artifact(client, run_id, path, name):
    """Through the MLflow-compatible artifact store, which files it under the run like a trainer's."""
    from epochal import EpochalError  # the transport's error type (imported late: epochal imports this module)

    base = client.url.rsplit("/graphql", 1)[0]
    url = "%s/api/2.0/mlflow-artifacts/artifacts/0/%s/artifacts/%s" % (base, run_id, urllib.request.quote(name))
    headers = {"content-type": "application/octet-stream"}
    if client.api_key:
        headers["authorization"] = "Bearer " + client.api_key
    with open(path, "rb") as f:
        body = f.read()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers, method="PUT"), timeout=client.timeout):
            return
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code == 429:
            raise EpochalError("UNREACHABLE", "HTTP %d uploading %s" % (error.code, name))
        raise EpochalError("BAD_USER_INPUT", "HTTP %d uploading %s: %s" % (error.code, name, error.read()[:300]))
    except (urllib.error.URLError, OSError) as error:
        raise EpochalError("UNREACHABLE", "%s: %s" % (url, getattr(error, "reason", error)))


class Sender:
    """The thread that drains one spool; `wake()` after appending, `wait_idle()` to flush."""

    def __init__(self, client, spool, run_id, name="epochal-sender"):
        self.client = client
        self.spool = spool
        self.run_id = run_id
        self.last_error = None
        self.finished = False
        self.created = threading.Event()  # the server has the run (its heartbeats may start)
        self._condition = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def wake(self):
        with self._condition:
            self._condition.notify_all()

    def stop(self):
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    def wait_idle(self, timeout):
        """True once everything spooled so far is acknowledged."""
        deadline = time.monotonic() + (timeout if timeout is not None else 1e9)
        with self._condition:
            self._condition.notify_all()
            while self.spool.has_pending() and not self.finished:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._condition.wait(min(left, 0.2))
        return True

    def _loop(self):
        attempt = 0
        while True:
            with self._condition:
                while not self._stopped and not self.spool.has_pending():
                    self._condition.wait(1.0)
                if self._stopped and not self.spool.has_pending():
                    return
            operations, end = self.spool.pending()
            if not operations:
                continue
            operation = operations[0]
            try:
                send_operation(self.client, self.run_id, self.spool, operation)
                attempt = 0
                if operation["op"] == "create":
                    self.created.set()
            except Exception as error:  # noqa: BLE001
                code = getattr(error, "code", None)
                self.last_error = error
                if code in RETRYABLE_CODES:
                    time.sleep(self.client.delay(min(attempt, 6)))
                    attempt += 1
                    continue
                log.error("epochal: run %s: %s refused: %s", self.run_id, operation["op"], error)
            self.spool.acknowledge(end)
            if operation["op"] == "finish":
                self.finished = True
                self.spool.remove()
            with self._condition:
                self._condition.notify_all()
            if self.finished:
                return


def sync_orphans(client_for, wait=True, timeout=None):
    """Sends the spools of processes that died and ends their runs FAILED; returns (runs found, runs delivered).

    `client_for(url)` gives the transport for a spool's server. With wait=False
    the work happens on background threads.
    """
    from epochal_spool import orphaned_spools

    senders = []
    for spool in orphaned_spools():
        meta = spool.meta()
        if not meta.get("url"):
            spool.unlock()
            continue
        spool.append({"op": "finish", "status": "FAILED",
                      "error": "the process that logged this run ended without finishing it; epochal sent what it had spooled"})
        senders.append(Sender(client_for(meta["url"]), spool, spool.run_id, name="epochal-sync-%s" % spool.run_id[:8]))
    if not wait:
        _background.extend(senders)
        return len(senders), 0
    deadline = time.monotonic() + (timeout if timeout is not None else 1e9)
    for sender in senders:
        sender.wait_idle(max(0.0, deadline - time.monotonic()))
    return len(senders), sum(1 for sender in senders if sender.finished)


_background = []


def sync_orphans_wait(timeout):
    """At exit: gives the background senders of dead processes' runs up to `timeout` seconds to finish."""
    deadline = time.monotonic() + timeout
    for sender in _background:
        sender.wait_idle(max(0.0, deadline - time.monotonic()))
