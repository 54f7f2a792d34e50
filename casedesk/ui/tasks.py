"""Long work (demo data, import, export) off the UI thread, with a progress dialog; the result or
the error comes back on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casedesk.ui.qt import QObject, QProgressDialog, QRunnable, Qt, QThreadPool, QWidget, Signal

Progress = Callable[[int, int], None]


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any]):
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work(lambda done, total: self.signals.progress.emit(done, total))
        except Exception as exc:  # reported on the UI thread, never lost
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def run_in_background(
    parent: QWidget,
    title: str,
    work: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
) -> QProgressDialog:
    """Run ``work(progress)`` on a worker thread behind a modal progress dialog."""
    dialog = QProgressDialog(title, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    job = _Job(work)

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, total))
        dialog.setLabelText(f"{title}：{done:,} / {total:,}")

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        dialog.close()
        callback(value)

    job.signals.progress.connect(progress)
    job.signals.done.connect(lambda result: finish(on_done, result))
    job.signals.failed.connect(lambda exc: finish(on_failed, exc))
    dialog._job = job  # type: ignore[attr-defined]  # keep the signals alive with the dialog
    dialog.show()
    QThreadPool.globalInstance().start(job)
    return dialog
