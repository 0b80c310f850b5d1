"""While the shared cache is down each process counts the limits itself (`ratelimit._LocalCounter`).
At a minute's turn, two threads of one process can count in different windows: one computed its
bucket just before the turn, the other just after. A late count of the minute that is over must not
wipe the counts of the minute that has begun (the limits would start again from zero)."""

from measures.ratelimit import _LocalCounter


def test_a_late_count_of_the_last_minute_keeps_this_minutes_counts():
    counter = _LocalCounter()
    assert counter.count("rl:code:101") == 1  # the new minute has begun
    counter.count("rl:token:100")  # a thread still in the last minute
    assert counter.count("rl:code:101") == 2


def test_a_new_minute_starts_every_count_again():
    counter = _LocalCounter()
    counter.count("rl:code:100")
    counter.count("rl:code:100")
    assert counter.count("rl:code:101") == 1
