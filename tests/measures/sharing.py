"""Set a classroom's sharing for tests, in one place."""


def share(room, *, leaders=False, principal=False, coach=True):
    """Who besides its teacher may see the classroom's own results."""
    room.share_results_with_leaders = leaders or principal
    room.save(update_fields=["share_results_with_leaders"])
    return room
