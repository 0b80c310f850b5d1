"""Set a classroom's sharing for tests, in one place."""


def share(room, *, leaders=False, principal=False, coach=True):
    """Who besides its teacher may see the classroom's own results: one control per audience."""
    room.share_with_leaders, room.share_with_principal, room.share_with_coach = leaders, principal, coach
    room.save(update_fields=["share_with_leaders", "share_with_principal", "share_with_coach"])
    return room
