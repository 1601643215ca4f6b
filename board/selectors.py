from .models import Board


def boards(programme):
    return Board.objects.filter(programme=programme).order_by("order")
