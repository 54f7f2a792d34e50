"""The administrator's thresholds for the measure lists: the 超标的 ratio (查扣冻规定 第19条 says
only "明显超出", so the ratio is a local choice) and how long a person may stay in custody
without a 羁押必要性审查 before being listed (刑诉法 第95条 sets no interval)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from casedesk.domain.errors import FieldErrors
from casedesk.services.base import Service, guarded
from casedesk.services.measure_dto import MeasureSettings
from casedesk.store.models import AppSetting

RATIO_KEY = "measures.overseizure_ratio"
INTERVAL_KEY = "measures.review_interval_days"
DEFAULTS = MeasureSettings(overseizure_ratio=Decimal("1.2"), review_interval_days=60)


def read_settings(session: Session) -> MeasureSettings:
    """The settings in force (defaults where none was saved)."""
    ratio_row = session.get(AppSetting, RATIO_KEY)
    days_row = session.get(AppSetting, INTERVAL_KEY)
    return MeasureSettings(
        overseizure_ratio=Decimal(ratio_row.value) if ratio_row else DEFAULTS.overseizure_ratio,
        review_interval_days=int(days_row.value) if days_row else DEFAULTS.review_interval_days,
    )


def check_settings(ratio_text: str, interval_text: str) -> MeasureSettings:
    """Typed values → settings, or FieldErrors in Chinese at each field."""
    errors: dict[str, str] = {}
    ratio = Decimal(0)
    try:
        ratio = Decimal(ratio_text.strip())
        if not ratio.is_finite() or ratio < 1 or ratio > 10:
            errors["overseizure_ratio"] = "比例应在1到10之间（如1.2表示超出债权及费用20%）"
    except InvalidOperation:
        errors["overseizure_ratio"] = "请输入数字，如 1.2"
    days = 0
    try:
        days = int(interval_text.strip())
        if not 1 <= days <= 365:
            errors["review_interval_days"] = "天数应在1到365之间"
    except ValueError:
        errors["review_interval_days"] = "请输入整数天数，如 60"
    if errors:
        raise FieldErrors(errors)
    return MeasureSettings(ratio.normalize(), days)


class MeasureSettingsService(Service):
    def get(self) -> MeasureSettings:
        with self._read() as s:
            return read_settings(s)

    @guarded("admin.settings", via=False)
    def save(self, ratio_text: str, interval_text: str) -> MeasureSettings:
        """Check and save both settings in one audited change."""
        new = check_settings(ratio_text, interval_text)
        with self._uow() as uow:
            s = uow.session
            old = read_settings(s)
            values = {
                RATIO_KEY: (old.overseizure_ratio, new.overseizure_ratio),
                INTERVAL_KEY: (old.review_interval_days, new.review_interval_days),
            }
            changes = {}
            for key, (before, after) in values.items():
                if before == after and s.get(AppSetting, key) is not None:
                    continue
                row = s.get(AppSetting, key) or AppSetting(key=key)
                row.value = str(after)
                s.add(row)
                changes[key] = (str(before), str(after))
            if changes:
                uow.audit("update", "app_setting", "measures", "强制措施设置", changes)
            uow.commit()
        return new
