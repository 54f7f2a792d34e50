"""The 强制措施 tab of a case and the dialogs that record property and personal measures."""
