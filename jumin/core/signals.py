"""Signals an app sends inside its own transaction, so the linkage outbox (jumin.linkage, issue #18 item 1) can write
its events in that same transaction without the sender importing it (imports run one way: docs/architecture.md).

- `person_flags_changed`: a flag of persons other systems act on changed — `flag` ("protection" 支援措置,
  "restriction" 抑止, "seal" 印鑑登録), `addressee_numbers`, `reason` (a short code: "register", "end", …), `actor`.
  The receiver reads the flag's value as it now is. A 抑止's 一時解除 is never sent (standard-spec §4.6).
- `non_resident_written`: 住登外者 snapshots were written — `persons` [(宛名番号, 履歴番号)], `actor`.
"""

import django.dispatch

person_flags_changed = django.dispatch.Signal()
non_resident_written = django.dispatch.Signal()
