"""Menu actions that move many records at once: demo data, import, export. They run off the UI
thread behind a progress dialog and end with a plain-language report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from casedesk.services.app import Services
from casedesk.services.errors import ServiceError
from casedesk.ui.bus import Bus
from casedesk.ui.measure_lists.export import audit_export
from casedesk.ui.qt import QFileDialog, QInputDialog, QMessageBox, QWidget
from casedesk.ui.tasks import Progress, run_in_background

if TYPE_CHECKING:  # the interchange loads on first use, not at start-up
    from casedesk.services.interchange import ImportReport

DEMO_CASES = 2000


def _phased(progress: Progress):  # type: ignore[no-untyped-def]
    """The interchange reports ``(phase, done, total)``; the progress dialog shows its own title."""
    return lambda _phase, done, total: progress(done, total)


class DataActions:
    def __init__(self, window: QWidget, services: Services, bus: Bus):
        self.window = window
        self.services = services
        self.bus = bus
        self.running = None
        self.demo_accounts: list = []  # the accounts made with the demo data, to announce

    def _failed(self, title: str):  # type: ignore[no-untyped-def]
        def show(exc: BaseException) -> None:
            if isinstance(exc, ServiceError | OSError | ValueError):
                QMessageBox.warning(self.window, title, str(exc))
            else:
                raise exc

        return show

    # -- demo data --------------------------------------------------------------------------------
    def offer_demo(self, first_start: bool = False) -> None:
        if not self.services.is_empty():
            QMessageBox.information(
                self.window, "生成演示数据", "演示数据只能写入空数据库。当前数据库中已有案件。"
            )
            return
        intro = "这是一个新的空数据库。" if first_start else ""
        count, ok = QInputDialog.getInt(
            self.window,
            "生成演示数据",
            f"{intro}是否生成演示数据，以便熟悉 CaseDesk？\n"
            "演示数据为虚构的案件、企业和人员，可随时换用新的数据库。\n\n案件数：",
            DEMO_CASES,
            10,
            200_000,
            1000,
        )
        if not ok:
            return
        from casedesk.services.demo import generate_demo

        with_accounts = self.services.identity.signed_in and self.services.identity.may(
            "admin.users"
        )

        def work(progress: Progress) -> object:
            summary = generate_demo(self.services.db, count, seed=1, progress=progress)
            if with_accounts:  # an administrator: accounts to try each role with
                from casedesk.services.demo.accounts import create_demo_accounts

                self.demo_accounts = create_demo_accounts(self.services.db, self.services.accounts)
            return summary

        self.running = run_in_background(
            self.window, "正在生成演示数据", work, self._demo_done, self._failed("生成演示数据")
        )

    def _demo_done(self, summary: object) -> None:
        self.bus.cases_changed.emit()
        self.bus.code_tables_changed.emit()
        cases = getattr(summary, "cases", "")
        text = f"已生成 {cases:,} 件演示案件。"
        if self.demo_accounts:
            from casedesk.services.demo.accounts import DEMO_PASSWORD

            rows = "\n".join(
                f"{a.login}　{a.display_name}　{a.unit}　{a.role_text}" for a in self.demo_accounts
            )
            text += (f"\n\n另建了演示账号（密码均为 {DEMO_PASSWORD}），退出后可用它们登录，"
                     f"体验各角色能做的事：\n{rows}")  # fmt: skip
        QMessageBox.information(self.window, "生成演示数据", text)

    # -- JSON Lines interchange -------------------------------------------------------------------
    def export_cases(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self.window, "导出全部案件", "casedesk-cases.jsonl", "JSON Lines (*.jsonl)"
        )
        if not name:
            return
        out = Path(name)

        def work(progress: Progress) -> int:
            return self.services.data.export_cases(out, progress=_phased(progress))

        def done(count: int) -> None:
            audit_export(self.window, self.services, "导出全部案件（JSON Lines）", out, count)
            QMessageBox.information(self.window, "导出案件", f"已导出 {count:,} 件案件到\n{out}")

        self.running = run_in_background(
            self.window, "正在导出案件", work, done, self._failed("导出案件")
        )

    def import_cases(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.window, "导入案件", "", "JSON Lines (*.jsonl);;所有文件 (*)"
        )
        if not name:
            return
        src = Path(name)

        def work(progress: Progress) -> object:
            return self.services.data.import_cases(src, progress=_phased(progress))

        self.running = run_in_background(
            self.window, "正在导入案件", work, self._import_done, self._failed("导入案件")
        )

    def _import_done(self, report: ImportReport) -> None:
        errors = list(report.errors)
        if errors:
            shown = "\n".join(str(e) for e in errors[:30])
            more = f"\n……共 {len(errors)} 处问题" if len(errors) > 30 else ""
            QMessageBox.warning(
                self.window, "导入案件", f"文件中有错误，未导入任何案件：\n\n{shown}{more}"
            )
            return
        self.bus.cases_changed.emit()
        summary = report.summary()
        QMessageBox.information(self.window, "导入案件", summary)
