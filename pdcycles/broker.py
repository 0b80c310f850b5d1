"""The Celery broker transport: kombu's Redis transport, made to survive Redis dropping mid-task.

When Redis goes away while a worker holds unacknowledged messages (a task running in a pool
process, or prefetched), the consumer closes its channel and kombu tries to put those messages
back. The channel has already let go of its connection, so kombu's Redis transport fails with
`AttributeError: 'NoneType' object has no attribute 'hostname'` (or `… 'client'` when a task
finishing after the drop acknowledges on the closed channel) — not a connection error, so Celery
calls it unrecoverable and the worker exits (kombu issues #970 and #582). Seen here under a
bell burst, and reproduced by tests/measures/test_broker_faults.py.

Here the same situation raises a connection error, which Celery already handles: it logs, keeps
the worker, and reconnects when Redis is back. Messages that could not be put back stay in
Redis's unacknowledged set and are redelivered after the visibility timeout (if Redis kept them),
and the sweep refreshes every summary that is behind in any case. Used through
CELERY_BROKER_TRANSPORT when REDIS_URL is set.
"""

import logging

from kombu.transport import redis
from redis.exceptions import ConnectionError as RedisConnectionError

log = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        try:
            return super().restore_unacked(client)
        except self.channel.connection_errors as exc:
            log.warning(
                "could not put back %s unacknowledged message(s) (%s); they return after the visibility timeout",
                len(self._delivered),
                exc,
            )
            self._delivered.clear()


class Channel(redis.Channel):
    QoS = QoS

    def _connparams(self, asynchronous=False):
        # The channel or its connection was closed (an acknowledgement, a restore after a drop).
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("the broker connection is closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(redis.Transport):
    Channel = Channel
