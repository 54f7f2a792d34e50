"""The main window composes the feature pages: the case and enterprise lists, the deadline board,
the lists of compulsory measures and the 挂案 ledger as fixed tabs, and each opened case or
enterprise as a closable tab. It holds no feature logic of its own."""

from __future__ import annotations

from collections.abc import Callable

from casedesk import __version__
from casedesk.domain.roles import who_may
from casedesk.domain.stalled import PENDING, SUPERVISED
from casedesk.services.app import Services
from casedesk.ui.accounts.session import AccountSession, no_cases_page, operator
from casedesk.ui.admin.code_tables_dialog import CodeTablesDialog
from casedesk.ui.bus import Bus
from casedesk.ui.cases.case_page import (
    TAB_COMPLIANCE,
    TAB_ENFORCEMENT,
    TAB_MEASURES,
    TAB_PARTIES,
    TAB_SUGGESTIONS,
    CasePage,
)
from casedesk.ui.cases.list_page import CaseListPage
from casedesk.ui.cases.new_case_dialog import NewCaseDialog
from casedesk.ui.cases.recycle_bin import RecycleBinDialog
from casedesk.ui.compliance.lists import COMPLIANCE_LISTS
from casedesk.ui.data_actions import DataActions
from casedesk.ui.deadlines.board_page import BoardPage
from casedesk.ui.enforcement.lists import ENFORCEMENT_LISTS
from casedesk.ui.enterprises.enterprise_page import EnterprisePage
from casedesk.ui.enterprises.list_page import EnterpriseListPage
from casedesk.ui.measure_lists.page import MeasureListsPage
from casedesk.ui.qt import (
    QAction,
    QCloseEvent,
    QInputDialog,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSettings,
    QTabBar,
    QTabWidget,
    QWidget,
    Signal,
)
from casedesk.ui.stalled.page import StalledPage
from casedesk.ui.suggestions.lists import SUGGESTION_LISTS

#: 案件, 企业, 期限, 强制措施, 挂案, 合规考察, 执行, 建议书: fixed; opened cases and enterprises
#: follow.
LIST_TABS = 8
BOARD_TAB, MEASURES_TAB, STALLED_TAB, COMPLIANCE_TAB, ENFORCEMENT_TAB = 2, 3, 4, 5, 6
SUGGESTIONS_TAB = 7
#: What a list's double-click opens (ListSpec.opens) → the case page's tab.
CASE_TABS = {
    "compliance": TAB_COMPLIANCE,
    "enforcement": TAB_ENFORCEMENT,
    "suggestions": TAB_SUGGESTIONS,
}
MY_NAME = "user/handler_name"


class MainWindow(QMainWindow):
    #: A backup the administrator chose to restore (the app closes and reopens the database).
    restore_requested = Signal(str)

    def __init__(self, services: Services, settings: QSettings):
        super().__init__()
        self.services = services
        self.settings = settings
        self.bus = Bus(self)
        self.setWindowTitle(f"CaseDesk 涉企案件办案台 — {services.path.name}")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(False)
        #: Whether the user may read cases at all (an administrator may not: least privilege).
        self.reads_cases = services.identity.may("case.read")
        self.list_tabs = LIST_TABS if self.reads_cases else 1
        if self.reads_cases:
            self._list_pages(services, settings)
        else:
            self.tabs.addTab(no_cases_page(services), "管理")
        for index in range(self.list_tabs):
            self.tabs.tabBar().setTabButton(index, QTabBar.ButtonPosition.RightSide, None)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.setCentralWidget(self.tabs)
        self.data = DataActions(self, services, self.bus)
        self._menus()
        status = QLabel(f"数据库：{services.path}　　操作人：{operator(services)}")
        status.setObjectName("statusDb")
        self.statusBar().addWidget(status, 1)
        if services.db.backup_path is not None:
            self.statusBar().showMessage(
                f"数据库已升级，升级前的备份：{services.db.backup_path}", 30_000
            )
        self.bus.open_case.connect(self.open_case)
        self.bus.open_enterprise.connect(self.open_enterprise)
        self.bus.open_deadline.connect(self.open_deadline)
        if self.reads_cases:
            self.board.print_requested.connect(self.print_board)
        self.session = AccountSession(self, services) if services.identity.signed_in else None
        geometry = settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def _list_pages(self, services: Services, settings: QSettings) -> None:
        """The list pages: cases, enterprises, the deadline board and the ledgers."""
        self.case_list = CaseListPage(services, self.bus, settings)
        self.enterprise_list = EnterpriseListPage(services, self.bus, settings)
        self.tabs.addTab(self.case_list, "案件")
        self.tabs.addTab(self.enterprise_list, "企业")
        self.board = BoardPage(services, self.bus, str(settings.value(MY_NAME, "") or ""))
        self.board.counts_changed.connect(self._board_counts)
        self.tabs.addTab(self.board, "期限")
        self._board_counts(self.board.board.counts if self.board.board else {})
        self.measure_lists = MeasureListsPage(services, self.bus)
        self.measure_lists.open_measure.connect(self.open_measure)
        self.measure_lists.open_enterprise.connect(self.open_enterprise)
        self.tabs.addTab(self.measure_lists, "强制措施")
        self.stalled = StalledPage(services, self.bus)
        self.stalled.open_case.connect(lambda case_id: self.open_case(case_id, TAB_MEASURES))
        self.stalled.counts_changed.connect(self._stalled_counts)
        self.tabs.addTab(self.stalled, "挂案")
        self.compliance_list = MeasureListsPage(services, self.bus, lists=COMPLIANCE_LISTS)
        self.compliance_list.open_case.connect(
            lambda case_id, what: self.open_case(case_id, CASE_TABS.get(what))
        )
        self.tabs.addTab(self.compliance_list, "合规考察")
        self.enforcement_list = MeasureListsPage(services, self.bus, lists=ENFORCEMENT_LISTS)
        self.enforcement_list.open_case.connect(
            lambda case_id, what: self.open_case(case_id, CASE_TABS.get(what))
        )
        self.tabs.addTab(self.enforcement_list, "执行")
        self.suggestion_list = MeasureListsPage(services, self.bus, lists=SUGGESTION_LISTS)
        self.suggestion_list.open_case.connect(
            lambda case_id, what: self.open_case(case_id, CASE_TABS.get(what))
        )
        self.tabs.addTab(self.suggestion_list, "建议书")

    def _menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self._act(
            file_menu, "登记新案件…", self.new_case, "case.create", QKeySequence.StandardKey.New
        )
        file_menu.addSeparator()
        self._act(file_menu, "导入案件（JSON Lines）…", self.data.import_cases, "data.import")
        self._act(file_menu, "导出全部案件（JSON Lines）…", self.data.export_cases, "data.export")
        file_menu.addSeparator()
        file_menu.addAction("退出", QKeySequence.StandardKey.Quit, self.close)
        edit_menu = bar.addMenu("编辑(&E)")
        edit_menu.addAction("保存", QKeySequence.StandardKey.Save, self.save_current)
        self._act(
            edit_menu, "查找案件", self.focus_search, "case.read", QKeySequence.StandardKey.Find
        )
        self._act(edit_menu, "回收站…", self.open_recycle_bin, "case.read")
        admin_menu = bar.addMenu("管理(&M)")
        self._act(admin_menu, "用户管理…", self.edit_users, "admin.users")
        admin_menu.addSeparator()
        self._act(admin_menu, "代码表…", self.edit_code_tables, "admin.code_tables")
        self._act(admin_menu, "节假日…", self.edit_holidays, "admin.holidays")
        self._act(admin_menu, "期限规则…", self.edit_rules, "admin.rules")
        self._act(admin_menu, "强制措施设置…", self.edit_measure_settings, "admin.settings")
        self._act(admin_menu, "建议书设置…", self.edit_suggestion_settings, "admin.settings")
        self._act(admin_menu, "建议书年度统计…", self.suggestion_statistics, "case.read")
        self._act(admin_menu, "生成演示数据…", self.data.offer_demo, "admin.settings")
        admin_menu.addSeparator()
        self._act(admin_menu, "备份与恢复…", self.edit_backups, "admin.backup")
        settings_menu = bar.addMenu("设置(&S)")
        self._act(settings_menu, "我的姓名（承办人）…", self.set_my_name, "case.read")
        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction("关于 CaseDesk", self.about)

    def _act(self, menu: QMenu, label: str, slot: Callable[[], object], action: str,
             shortcut: QKeySequence.StandardKey | None = None) -> QAction:  # fmt: skip
        """A menu command, disabled (its status tip saying who may) when the user may not."""
        item = menu.addAction(label, shortcut, slot) if shortcut else menu.addAction(label, slot)
        if not self.services.identity.may(action):
            item.setEnabled(False)
            item.setStatusTip(f"此项须由{who_may(action)}进行")
        return item

    def edit_users(self) -> None:
        from casedesk.ui.accounts.users_dialog import UsersDialog

        UsersDialog(self.services, self).exec()

    def open_recycle_bin(self) -> None:
        """The bin; the open pages of cases whose records came back show them (unless edited)."""
        dialog = RecycleBinDialog(self.services, self.bus, parent=self)
        dialog.exec()
        for index in filter(None, (self._find(CasePage, "case_id", c) for c in dialog.touched)):
            if not self.tabs.widget(index).is_dirty():
                self.tabs.widget(index).reload()

    # -- pages ------------------------------------------------------------------------------------
    def pages(self) -> list[QWidget]:
        return [self.tabs.widget(i) for i in range(self.list_tabs, self.tabs.count())]

    def _find(self, kind: type, attr: str, key: str) -> int | None:
        for i in range(self.list_tabs, self.tabs.count()):
            page = self.tabs.widget(i)
            if isinstance(page, kind) and getattr(page, attr) == key:
                return i
        return None

    def open_case(self, case_id: str, tab: int | None = None) -> CasePage:
        index = self._find(CasePage, "case_id", case_id)
        if index is None:
            page = CasePage(self.services, self.bus, case_id)
            index = self._add_page(page, page.title())
        page = self.tabs.widget(index)
        if tab is not None:
            page.tabs.setCurrentIndex(tab)
        self.tabs.setCurrentIndex(index)
        return page

    def open_enterprise(self, enterprise_id: str) -> EnterprisePage:
        index = self._find(EnterprisePage, "enterprise_id", enterprise_id)
        if index is None:
            page = EnterprisePage(self.services, self.bus, enterprise_id)
            page.open_measure.connect(self.open_measure)
            index = self._add_page(page, page.title())
        self.tabs.setCurrentIndex(index)
        return self.tabs.widget(index)

    def _add_page(self, page: CasePage | EnterprisePage, title: str) -> int:
        index = self.tabs.addTab(page, title)
        page.title_changed.connect(
            lambda text, page=page: self.tabs.setTabText(self.tabs.indexOf(page), text)
        )
        return index

    def open_deadline(self, case_id: str, deadline_id: str) -> None:
        self.open_case(case_id).show_deadline(deadline_id)

    def open_measure(self, case_id: str, measure_id: str = "") -> CasePage:
        """The case at its 强制措施 tab, with the measure selected when one is named."""
        page = self.open_case(case_id, TAB_MEASURES)
        if measure_id:
            page.show_measure(measure_id)
        return page

    def _stalled_counts(self, counts: dict) -> None:
        pending, supervised = counts.get(PENDING, 0), counts.get(SUPERVISED, 0)
        parts = [f"待督办 {pending}"] if pending else []
        parts += [f"督办中 {supervised}"] if supervised else []
        self.tabs.setTabText(STALLED_TAB, "挂案" + (f"（{'，'.join(parts)}）" if parts else ""))

    def _board_counts(self, counts: dict) -> None:
        overdue, today = counts.get("overdue", 0), counts.get("today", 0)
        text = "期限" + (f"（逾期 {overdue}）" if overdue else "")
        text += f"（今日 {today}）" if today and not overdue else ""
        self.tabs.setTabText(BOARD_TAB, text)
        self.statusBar().showMessage(
            f"期限：已逾期 {overdue} 个，今日届满 {today} 个，3日内 {counts.get('3d', 0)} 个"
        )

    def announce_overdue(self) -> None:
        """At start: say how many deadlines are overdue (the user's own, when the name is set)."""
        if not self.reads_cases:
            return
        board = self.board.board
        if board is None or not (board.counts.get("overdue") or board.counts.get("today")):
            return
        who = f"{board.handler}的" if board.handler else ""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "期限提醒",
            f"{who}期限中，已逾期 {board.counts['overdue']} 个，"
            f"今日届满 {board.counts['today']} 个。",
            parent=self,
        )
        show = box.addButton("查看期限", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("稍后", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is show:
            self.tabs.setCurrentIndex(BOARD_TAB)

    def set_my_name(self) -> None:
        name, ok = QInputDialog.getText(
            self,
            "我的姓名",
            "承办人姓名（期限一览默认只显示该承办人的期限；留空则显示全部）：",
            text=str(self.settings.value(MY_NAME, "") or ""),
        )
        if ok:
            self.settings.setValue(MY_NAME, name.strip())
            if self.reads_cases:
                self.board.set_handlers(name.strip())
                self.board.reload()

    def print_board(self) -> None:
        from casedesk.ui.deadlines.printing import print_daily_sheet

        print_daily_sheet(self, self.services, self.board)

    def edit_holidays(self) -> None:
        from casedesk.ui.admin.holidays_dialog import HolidaysDialog

        HolidaysDialog(self.services, self).exec()
        self.bus.deadlines_changed.emit()

    def edit_rules(self) -> None:
        from casedesk.ui.admin.rules_dialog import RulesDialog

        RulesDialog(self.services, self).exec()
        self.bus.deadlines_changed.emit()

    def edit_measure_settings(self) -> None:
        from casedesk.ui.admin.measure_settings_dialog import MeasureSettingsDialog

        dialog = MeasureSettingsDialog(self.services, self)
        if dialog.exec():
            if self.reads_cases:
                self.measure_lists.refresh_later()
            self.statusBar().showMessage("强制措施设置已保存", 10_000)

    def edit_suggestion_settings(self) -> None:
        from casedesk.ui.admin.suggestion_settings_dialog import SuggestionSettingsDialog

        if SuggestionSettingsDialog(self.services, self).exec():
            self.statusBar().showMessage("建议书设置已保存", 10_000)

    def edit_backups(self) -> None:
        from casedesk.ui.admin.backup_dialog import BackupDialog

        dialog = BackupDialog(self.services, self)
        dialog.exec()
        if dialog.restore_from is not None:
            self.restore_requested.emit(str(dialog.restore_from))

    def suggestion_statistics(self) -> None:
        from casedesk.ui.suggestions.statistics_dialog import StatisticsDialog

        StatisticsDialog(self.services, self).exec()

    def close_tab(self, index: int) -> bool:
        if index < self.list_tabs:
            return False
        page = self.tabs.widget(index)
        self.tabs.setCurrentIndex(index)
        if not page.settle():
            return False
        self.tabs.removeTab(index)
        page.deleteLater()
        return True

    # -- actions ----------------------------------------------------------------------------------
    def new_case(self) -> None:
        dialog = NewCaseDialog(self.services, self)
        if dialog.exec() and dialog.case_id:
            self.bus.cases_changed.emit()
            self.open_case(dialog.case_id, TAB_PARTIES)

    def save_current(self) -> None:
        page = self.tabs.currentWidget()
        if hasattr(page, "save"):
            page.save()

    def focus_search(self) -> None:
        if not self.reads_cases:
            return
        self.tabs.setCurrentIndex(0)
        self.case_list.focus_search()

    def edit_code_tables(self) -> None:
        dialog = CodeTablesDialog(self.services, self)
        dialog.exec()
        if dialog.changed:
            self.bus.code_tables_changed.emit()

    def about(self) -> None:
        QMessageBox.about(
            self,
            "关于 CaseDesk",
            f"CaseDesk 涉企案件办案台 {__version__}\n\n"
            f"数据库：{self.services.path}\n操作人：{operator(self.services)}",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self.pages():
            self.tabs.setCurrentWidget(page)
            if not page.settle():
                event.ignore()
                return
        if self.reads_cases:
            self.measure_lists.loader.wait()  # no read may outlive the window's database
            self.stalled.loader.wait()
            self.compliance_list.loader.wait()
            self.enforcement_list.loader.wait()
            self.suggestion_list.loader.wait()
            self.case_list.table.save_state()
            self.enterprise_list.table.save_state()
        self.settings.setValue("main/geometry", self.saveGeometry())
        if self.session is not None:
            self.session.stop()
        event.accept()
