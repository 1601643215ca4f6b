"""The board's writes, one module per concept: `calendar` (meetings, their invitations and
cancelling), `rota` (pins, the planner's preview and runs), `minutes`, `decisions`, `tracker`
(the Board's actions) and `settings`. Each write is an action (`havering_improve.actions`):
atomic, permission-checked, in the history with who did it, its tasks queued by name once
committed."""
