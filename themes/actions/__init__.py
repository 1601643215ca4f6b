"""Every change to a theme's content, one module per concept: `pid` (the project initiation
document, its approval and the notices it sends), `records` (milestones, measures and their
readings, risks), `reports` (highlight reports), `discussion` (comments and evidence) and
`team`. Each is an action (`havering_improve.actions`): atomic, permission-checked by its rule
in `havering_improve.roles`, keyword-only with every field it sets named, and in the history
with the person who made it.

Records that two people may edit at once (milestones, measures, risks, PIDs, highlight reports)
carry a `version`. An update, and a state change such as submitting, names the version the
editor started from; if the record has moved on since, it is refused with `StaleEdit`, which
says what changed and who changed it. An update changes only the fields it is given (the rest
are `KEEP`); the theme a record belongs to is never one of them.
"""
