"""Reading lists off the UI thread: on 150,000 cases a list query may take longer than the
~100 ms a click may block. The result comes back on the UI thread; a newer read of the same
list makes an older one's result moot (it is dropped)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from casedesk.ui.qt import QObject, QRunnable, QThreadPool, Signal, Slot


class _Signals(QObject):
    finished = Signal(str, int, object)
    failed = Signal(str, int, object)


class _Read(QRunnable):
    def __init__(self, key: str, token: int, work: Callable[[], Any]):
        super().__init__()
        self.setAutoDelete(False)
        self.key, self.token, self.work = key, token, work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # reported on the UI thread, never lost
            self.signals.failed.emit(self.key, self.token, exc)
        else:
            self.signals.finished.emit(self.key, self.token, result)


class Loader(QObject):
    """``load(key, work)`` runs ``work()`` on a worker thread; ``loaded(key, result)`` or
    ``failed(key, error)`` follows on the UI thread for the newest read of each key."""

    loaded = Signal(str, object)
    failed = Signal(str, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._tokens = count(1)
        self._latest: dict[str, int] = {}
        self._running: dict[int, _Read] = {}

    def load(self, key: str, work: Callable[[], Any]) -> None:
        token = next(self._tokens)
        self._latest[key] = token
        job = _Read(key, token, work)
        job.signals.finished.connect(self._finished)
        job.signals.failed.connect(self._failed)
        self._running[token] = job
        QThreadPool.globalInstance().start(job)

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30_000) -> None:
        """Block until every read ended (closing the window, tests); results still arrive as
        events."""
        if self._running:
            QThreadPool.globalInstance().waitForDone(msecs)

    @Slot(str, int, object)
    def _finished(self, key: str, token: int, result: object) -> None:
        self._running.pop(token, None)
        if self._latest.get(key) == token:
            self.loaded.emit(key, result)

    @Slot(str, int, object)
    def _failed(self, key: str, token: int, error: object) -> None:
        self._running.pop(token, None)
        if self._latest.get(key) == token:
            self.failed.emit(key, error)
