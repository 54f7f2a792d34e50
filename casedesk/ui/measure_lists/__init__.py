"""The lists of compulsory measures: persons in custody, property under seizure by case and by
enterprise, 超标的 cases — and the table pieces the 挂案 ledger and the enterprise page share."""
