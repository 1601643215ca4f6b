"""The programme's own apps, in the order they depend on one another: themes first (it imports
no other app), then budget and evaluation, then the board, which reads them all, then reporting
(the board's packs, reminders and progress reports). The demo loads its data in this order."""

PROGRAMME_APPS = ("themes", "budget", "evaluation", "board", "reporting", "selfevaluation")

# Every app whose models hold the programme's data: the programme itself (which every app's
# records belong to), then its apps.
DATA_APPS = ("programme", *PROGRAMME_APPS)
