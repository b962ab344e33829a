"""Scenarios of the installed `epochal` package, driven by test/clients/python-client.test.ts.

    python scenarios.py <scenario>      (EPOCHAL_URL, EPOCHAL_SPOOL_DIR from the environment)

Each prints what the driving test needs (run ids, "LOGGED", ...) and checks
nothing itself: the test reads what arrived back through GraphQL.

  basics    a with-block that succeeds (log() with a running step, config
            updates, summary values, an artifact, an evaluation), one that
            raises, and one interrupted (KeyboardInterrupt)
  idle      with the server away, start a run (timeout_seconds=600, a heartbeat
            every 0.05 s) and log nothing (prints "STARTED <id>"); on "up" on
            stdin say "WAITING", and finish on the next line
  uncaught  start a run outside any with-block, log a point (prints "RUN <id>"),
            then die of an uncaught RuntimeError
  interrupt start a run, print "RUN <id>" and wait: the test sends SIGINT (Ctrl-C)
  offline   the server is away: start a run and log 500 points (prints
            "LOGGED <id>"), then wait for "up" on stdin and finish
  killed    the server is away: start a run, log, print "LOGGED <id>" and
            wait to be killed
  next      start (and finish) a run: the killed run's spool goes with it
  keras     real Keras 3 (JAX backend): fit with EarlyStopping and
            ReduceLROnPlateau, then a fine-tune phase
"""
import os
import sys
import tempfile

import epochal


def say(*words):
    print(*words, flush=True)


def basics():
    with epochal.run("py-basics", config={"lr": 0.001, "optimizer": {"name": "adam"}}, project="py-client", tags=["python"]) as run:
        say("RUN", run.id)
        for i in range(5):
            run.log({"loss": 1.0 / (i + 1), "accuracy": 0.5 + i * 0.1})
        run.log({"val_accuracy": 0.91}, step=10)
        run.log({"lr_after": 0.0001})  # step 11: the running step follows an explicit one
        run.config.update({"batch_size": 64})
        run.config["augment"] = True
        run.summary["best_val_accuracy"] = 0.91
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("the model card\n")
        run.log_artifact(f.name, name="model-card.txt")
        os.unlink(f.name)  # the spool keeps its own copy
        run.record_evaluation(["CNV", "NORMAL"], [[9, 1], [2, 8]])
    try:
        with epochal.run("py-fails", project="py-client") as failing:
            say("FAILING", failing.id)
            failing.log({"loss": 3.0})
            raise ValueError("loss diverged at step 1")
    except ValueError:
        pass
    try:
        with epochal.run("py-interrupted", project="py-client") as interrupted:
            say("INTERRUPTED", interrupted.id)
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    say("DONE")


def idle():
    run = epochal.start_run("py-idle", project="py-client", timeout_seconds=600, heartbeat_interval=0.05)
    say("STARTED", run.id)
    sys.stdin.readline()  # "up": the server is reachable again
    say("WAITING")
    sys.stdin.readline()  # the test saw heartbeats arrive
    say("DELIVERED" if run.finish(timeout=60) else "NOT-DELIVERED")


def uncaught():
    run = epochal.start_run("py-uncaught", project="py-client")
    run.log({"loss": 1.0})
    say("RUN", run.id)
    raise RuntimeError("CUDA out of memory")


def interrupt():
    run = epochal.start_run("py-ctrl-c", project="py-client")
    run.log({"loss": 1.0})
    say("RUN", run.id)
    sys.stdin.readline()  # interrupted here by SIGINT


def offline():
    run = epochal.start_run("py-offline", project="py-client")
    for step in range(500):
        run.log({"batch_loss": 2.0 / (step + 1)})
    run.log_epoch(0, loss=0.5, val_accuracy=0.8)
    say("LOGGED", run.id)
    sys.stdin.readline()  # "up": the server is reachable again
    delivered = run.finish(timeout=120)
    say("DELIVERED" if delivered else "NOT-DELIVERED")


def killed():
    run = epochal.start_run("py-killed", project="py-client", config={"seed": 7})
    for step in range(300):
        run.log({"batch_loss": 1.0 / (step + 1)})
    run.log_epoch(0, loss=0.4, accuracy=0.7)
    run.summary["note"] = 1
    say("LOGGED", run.id)
    sys.stdin.readline()  # never answered: the test kills this process


def next_process():
    with epochal.run("py-next", project="py-client") as run:
        run.log({"x": 1})
    say("RUN", run.id)


def keras_fit():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import keras
    import numpy as np

    rng = np.random.default_rng(1)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("int32")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with epochal.run("py-keras", project="py-client", config={"backend": keras.backend.backend()}) as run:
        say("RUN", run.id)
        callbacks = [
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True),
            keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1),
            epochal.KerasCallback(run, log_every_n_batches=2),
        ]
        history = model.fit(x, y, validation_split=0.25, epochs=12, batch_size=32, callbacks=callbacks, verbose=0)
        say("TRAIN-EPOCHS", len(history.history["loss"]))
        model.compile(optimizer=keras.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, validation_split=0.25, epochs=3, batch_size=32, callbacks=[epochal.KerasCallback(run, log_every_n_batches=2, phase="finetune")], verbose=0)
        say("BATCH-STEPS", run.batch_step)


SCENARIOS = {"basics": basics, "offline": offline, "killed": killed, "next": next_process, "keras": keras_fit,
             "idle": idle, "uncaught": uncaught, "interrupt": interrupt}

if __name__ == "__main__":
    SCENARIOS[sys.argv[1]]()
