"""What the Board and other bodies are sent, one module per concept: `packs` (built, published,
re-issued), `reminders` (to leads whose highlight report a pack needs) and `reports` (progress
reports and their schedules). Each write is an action (`havering_improve.actions`)."""
