"""The programme's own record lives in its own app; a change to it still shows at once on every
page that keeps a summary (its name is on every page)."""

from havering_improve import summaries


def test_a_change_to_the_programme_raises_every_area(programme):
    assert summaries.areas_for(programme) == (summaries.ALL,)


def test_the_about_page_shows_the_programme_renamed(
    client, programme, board_member, summaries_cache, committed
):
    client.force_login(board_member)
    assert "Renamed plan" not in client.get("/about/").content.decode()

    def rename():
        programme.name = "Renamed plan"
        programme.save()

    committed(rename)
    assert "Renamed plan" in client.get("/about/").content.decode()
