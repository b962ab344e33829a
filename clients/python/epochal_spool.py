"""The durable spool: everything a run logs is appended to a file on disk before
the call returns, and a background thread sends it to the server in order.

A run's spool is a folder, <EPOCHAL_SPOOL_DIR>/<run id>/:

    ops.jsonl   one JSON operation per line, appended (flushed to the OS: it
                survives the process being killed; EPOCHAL_SPOOL_FSYNC=1 also
                survives the machine losing power, at the cost of an fsync a call)
    sent        the byte offset of ops.jsonl the server has acknowledged
    lock        held (flock) by the process that owns the run while it lives
    meta.json   the server's URL
    files/      copies of the files given to log_artifact

The run's id is chosen here (a UUID), so even its creation is spooled: createRun
with that id is idempotent, as is every other operation (points by (run, key,
step), epochs by (run, phase, index)), so resending after a crash never
duplicates anything. A folder whose lock is free belongs to a process that died:
the next process that starts a run, or `python -m epochal sync`, sends what it
holds and ends the run FAILED, since nobody will finish it.
"""
import fcntl
import json
import logging
import os
import shutil
import threading
import uuid

log = logging.getLogger("epochal")

MAX_POINTS_PER_REQUEST = 10_000  # the server's batch limit


def spool_root():
    return os.environ.get("EPOCHAL_SPOOL_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "epochal", "spool")


class Spool:
    """One run's folder: append operations, read what is not yet acknowledged, acknowledge."""

    def __init__(self, folder):
        self.folder = folder
        self.ops_path = os.path.join(folder, "ops.jsonl")
        self.sent_path = os.path.join(folder, "sent")
        self._append_lock = threading.Lock()
        self._lock_file = None
        self._fsync = os.environ.get("EPOCHAL_SPOOL_FSYNC") == "1"

    @classmethod
    def create(cls, url, run_id=None, root=None):
        run_id = run_id or str(uuid.uuid4())
        folder = os.path.join(root or spool_root(), run_id)
        os.makedirs(os.path.join(folder, "files"), mode=0o700, exist_ok=True)
        spool = cls(folder)
        if not spool.try_lock():
            raise RuntimeError("epochal: spool %s is in use by another process" % folder)
        with open(os.path.join(folder, "meta.json"), "w") as f:
            json.dump({"url": url, "run_id": run_id}, f)
        return spool

    @property
    def run_id(self):
        return os.path.basename(self.folder)

    def meta(self):
        try:
            with open(os.path.join(self.folder, "meta.json")) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def try_lock(self):
        """Takes the folder for this process; False when a living process holds it."""
        handle = open(os.path.join(self.folder, "lock"), "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock_file = handle
        return True

    def unlock(self):
        if self._lock_file:
            self._lock_file.close()
            self._lock_file = None

    def append(self, operation):
        line = (json.dumps(operation, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")
        with self._append_lock:
            with open(self.ops_path, "ab") as f:
                f.write(line)
                f.flush()
                if self._fsync:
                    os.fsync(f.fileno())

    def keep_file(self, path, name):
        """A copy of `path` inside the spool, so the file sent is the file logged."""
        with self._append_lock:
            kept = os.path.join(self.folder, "files", "%s-%s" % (uuid.uuid4().hex[:8], os.path.basename(name)))
        shutil.copyfile(path, kept)
        return os.path.relpath(kept, self.folder)

    def acknowledged(self):
        try:
            with open(self.sent_path) as f:
                return int(f.read().strip() or 0)
        except (OSError, ValueError):
            return 0

    def acknowledge(self, offset):
        partial = self.sent_path + ".partial"
        with open(partial, "w") as f:
            f.write(str(offset))
            f.flush()
            if self._fsync:
                os.fsync(f.fileno())
        os.replace(partial, self.sent_path)

    def pending(self, limit_points=MAX_POINTS_PER_REQUEST):
        """The next request's worth of operations after the acknowledged offset.

        Returns (operations, end offset): consecutive points are merged into one
        operation of at most `limit_points` points; any other operation travels
        alone. A last line without its newline (a write cut short) is not read.
        """
        start = self.acknowledged()
        try:
            with open(self.ops_path, "rb") as f:
                f.seek(start)
                data = f.read()
        except OSError:
            return [], start
        merged = None
        offset = start
        for raw in data.splitlines(keepends=True):
            if not raw.endswith(b"\n"):
                break
            try:
                operation = json.loads(raw)
            except ValueError:
                log.error("epochal: %s: skipping an unreadable spool line", self.ops_path)
                offset += len(raw)
                continue
            if operation.get("op") == "points":
                if merged is None:
                    merged = {"op": "points", "points": []}
                elif len(merged["points"]) + len(operation["points"]) > limit_points:
                    break
                merged["points"].extend(operation["points"])
                offset += len(raw)
                continue
            if merged is not None:
                break
            return [operation], offset + len(raw)
        return ([merged] if merged else []), offset

    def has_pending(self):
        try:
            return os.path.getsize(self.ops_path) > self.acknowledged()
        except OSError:
            return False

    def remove(self):
        self.unlock()
        shutil.rmtree(self.folder, ignore_errors=True)


def orphaned_spools(root=None):
    """Spools whose owner is gone (their lock is free), now locked by this process."""
    root = root or spool_root()
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return []
    found = []
    for name in names:
        folder = os.path.join(root, name)
        if not os.path.isfile(os.path.join(folder, "ops.jsonl")):
            continue
        spool = Spool(folder)
        if spool.try_lock():
            found.append(spool)
    return found
