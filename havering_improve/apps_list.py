"""The programme's own apps, in the order they depend on one another: themes first (it imports
no other app), then budget and evaluation, then the board, which reads them all. The demo loads
its data in this order."""

PROGRAMME_APPS = ("themes", "budget", "evaluation", "board", "selfevaluation")
