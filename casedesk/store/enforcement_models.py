"""Tables of enforcement (执行) and the debtor credit list (失信被执行人): the title of enforcement,
payments, actions, 终本 and its follow-up, listings with their grace period and deletion,
限制消费 orders."""

from __future__ import annotations
