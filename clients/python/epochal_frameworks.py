"""Framework adapters for a run: Logger (PyTorch-style loops) and KerasCallback.

Both only call the run's log_metrics/log_epoch; `epochal` re-exports them.
"""
import time


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
