"""Suggestion documents (司法建议书, 检察建议书, 检察意见书, 补正材料一次性告知书): the case tab,
the editor, the dialogs of their life and the ledger page."""
