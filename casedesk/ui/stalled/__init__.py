"""The 挂案 ledger: flagged, supervised and closed-off criminal cases against enterprises, with
挂牌督办 and 销号."""
