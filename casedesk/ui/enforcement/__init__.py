"""执行 (enforcement) and the debtor credit list on the case page, and the 执行 list page."""
