"""Tests epochal.py against a running server, with plain python3.

    python3 clients/python/test_epochal.py http://127.0.0.1:4000/graphql

With --outage, the script also checks the offline buffer: it prints
"OUTAGE?" and waits for a line "down" on stdin (the caller has made the server
unreachable), logs points that cannot be sent, prints "OFFLINE-LOGGED", waits
for "up" (the server is back), and checks that every point arrived. Exits 0
and prints "ALL OK" when every check passed.
"""
import json
import os
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import epochal  # noqa: E402

URL = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else os.environ.get("EPOCHAL_URL", "http://127.0.0.1:4000/graphql")
OUTAGE = "--outage" in sys.argv


def query(text, variables=None):
    """Reads back what the server stored, without going through the client under test."""
    request = urllib.request.Request(URL, data=json.dumps({"query": text, "variables": variables or {}}).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        payload = json.loads(response.read())
    assert not payload.get("errors"), payload
    return payload["data"]


def run_state(run_id, key="batch_loss"):
    return query("""query ($id: ID!, $key: String!) { run(id: $id) { status tags config
      epochs { phase index loss accuracy valLoss valAccuracy learningRate }
      metric(key: $key, maxPoints: 100000) { totalPoints points { step value } }
      evaluation { accuracy labels } } }""", {"id": run_id, "key": key})["run"]


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print("ok -", message, flush=True)


class FakeOptimizer:
    learning_rate = 0.001


class FakeModel:
    optimizer = FakeOptimizer()


def test_keras_callback():
    client = epochal.Client(URL, backoff=0.05, max_backoff=0.5)
    run = client.start_run("keras-callback", config={"base": "VGG16", "dropout": 0.2}, tags=["python", "keras"], flush_interval=0.2)
    callback = epochal.KerasCallback(run, log_every_n_batches=5)
    callback.model = FakeModel()  # what Keras's set_model does
    # What model.fit() calls: 2 epochs of 20 batches, then a fine-tuning fit() from epoch 2.
    callback.on_train_begin()
    for epoch in range(2):
        callback.on_epoch_begin(epoch)
        for batch in range(20):
            callback.on_train_batch_end(batch, {"loss": 1.0 / (1 + epoch * 20 + batch), "accuracy": 0.5})
        callback.on_epoch_end(epoch, {"loss": 0.5 - epoch * 0.1, "accuracy": 0.7 + epoch * 0.1, "val_loss": 0.6 - epoch * 0.1, "val_accuracy": 0.65 + epoch * 0.1})
    finetune = epochal.KerasCallback(run, log_every_n_batches=5, phase="finetune")
    finetune.on_train_begin()
    finetune.on_epoch_begin(2)
    for batch in range(10):
        finetune.on_train_batch_end(batch, {"loss": 0.01})
    finetune.on_epoch_end(2, {"loss": 0.2, "accuracy": 0.95, "val_loss": 0.25, "val_accuracy": 0.93, "lr": 1e-5})
    run.record_evaluation(["CNV", "DME", "DRUSEN", "NORMAL"], [[240, 5, 5, 0], [3, 240, 2, 5], [20, 3, 222, 5], [0, 1, 3, 246]])
    check(epochal.finish_run(run, timeout=30), "finish_run delivered everything")

    state = run_state(run.id)
    check(state["status"] == "SUCCEEDED" and state["tags"] == ["python", "keras"] and state["config"]["dropout"] == 0.2, "run SUCCEEDED with its tags and config")
    epochs = [(e["phase"], e["index"]) for e in state["epochs"]]
    check(epochs == [("train", 0), ("train", 1), ("finetune", 0)], "epochs by phase, each phase from 0: %s" % epochs)
    check(state["epochs"][0]["learningRate"] == 0.001 and state["epochs"][2]["learningRate"] == 1e-5, "learning rate from the optimizer, or from logs")
    check(abs(state["epochs"][1]["valAccuracy"] - 0.75) < 1e-9, "val_accuracy stored")
    steps = [p["step"] for p in state["metric"]["points"]]
    check(steps == list(range(0, 50, 5)), "every 5th batch's loss, steps continuing across fits: %s" % steps)
    check(abs(state["evaluation"]["accuracy"] - 948 / 1000) < 1e-9, "evaluation recorded")


def test_logger_and_idempotent_retries():
    client = epochal.Client(URL, backoff=0.05, max_backoff=0.5)
    run = client.start_run("pytorch-logger", tags=["python"], flush_interval=0.2)
    logger = epochal.Logger(run, log_every_n_batches=1)
    for epoch in range(3):
        for _ in range(100):
            logger.log_batch(loss=2.0 / (run.batch_step + 1))
        logger.log_epoch(epoch, loss=0.3, val_loss=0.4, val_accuracy=0.8 + epoch / 100)
    check(run.flush(30), "flush delivered 300 points")
    # A retry resends what may already be stored: same (key, step) replaces, never duplicates.
    for step in range(0, 300, 3):
        run.log_metric("batch_loss", 2.0 / (step + 1), step)
    run.log_epoch(2, loss=0.3, val_loss=0.4, val_accuracy=0.82)
    run.log_metric("batch_loss", float("nan"), 999)  # not finite: skipped, not sent
    check(epochal.finish_run(run, timeout=30), "finish after the resend")
    state = run_state(run.id)
    check(state["metric"]["totalPoints"] == 300, "300 points after sending 100 of them twice: %d" % state["metric"]["totalPoints"])
    check(len(state["epochs"]) == 3, "3 epochs after sending the last one twice")
    try:
        run.client.request("mutation { createRun(input: { name: \"\" }) { id } }")
        check(False, "an empty name is refused")
    except epochal.EpochalError as error:
        check(error.code == "BAD_USER_INPUT", "the server's refusal arrives as EpochalError(%s)" % error.code)


def test_points_travel_as_series():
    points = [{"key": "loss", "step": 2, "value": 0.2}, {"key": "lr", "step": 2, "value": 0.1}, {"key": "loss", "step": 1, "value": 0.3}]
    check(epochal._as_series(points) == [{"key": "loss", "steps": [2, 1], "values": [0.2, 0.3]}, {"key": "lr", "steps": [2], "values": [0.1]}],
          "a batch becomes one series per key, points in the order given")


def test_offline_buffer():
    client = epochal.Client(URL, timeout=2, backoff=0.1, max_backoff=0.5)
    run = client.start_run("offline-buffer", tags=["python"], flush_interval=0.2)
    run.log_metrics({"batch_loss": 1.0}, 0)
    check(run.flush(30), "the first point went through")
    print("OUTAGE?", flush=True)
    check(sys.stdin.readline().strip() == "down", "the caller took the server away")
    for step in range(1, 501):
        run.log_metrics({"batch_loss": 1.0 / (step + 1)}, step)
    run.log_epoch(0, loss=0.5, val_loss=0.6)
    check(not run.flush(1.5), "nothing can be delivered while the server is unreachable")
    check(run.pending_points() == 500, "the 500 points wait in the buffer (%d)" % run.pending_points())
    print("OFFLINE-LOGGED", flush=True)
    check(sys.stdin.readline().strip() == "up", "the caller brought the server back")
    check(epochal.finish_run(run, timeout=60), "the buffer drained once the server was back")
    state = run_state(run.id)
    check(state["metric"]["totalPoints"] == 501, "all 501 points arrived: %d" % state["metric"]["totalPoints"])
    check([p["step"] for p in state["metric"]["points"]] == list(range(501)), "no step missing or duplicated")
    check(len(state["epochs"]) == 1 and state["status"] == "SUCCEEDED", "the epoch arrived before the run was finished")


if __name__ == "__main__":
    test_points_travel_as_series()
    test_keras_callback()
    test_logger_and_idempotent_retries()
    if OUTAGE:
        test_offline_buffer()
    print("ALL OK", flush=True)
