"""Where the UI keeps window state (header layout, sizes): an INI file in the user scope."""

from __future__ import annotations

from casedesk.ui.qt import QSettings


def app_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "CaseDesk", "CaseDesk")
