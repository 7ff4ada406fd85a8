"""The shared request queue of one crawl, in Redis, from which no request is ever lost.

A popped request is not removed: it moves to the popping worker's *held* set, and
leaves it only when the worker acknowledges it (its response was parsed, its articles
stored and its links queued) or gives it back.  Workers renew a lease in a sorted set
of deadlines; whoever touches the queue after a worker's deadline (it was killed, or
hung) puts that worker's held requests back.  Queue, held sets and the fingerprints
of requests seen are changed only by Lua scripts, so a request is always in exactly
one place and the Redis clock (``TIME``) is the one clock of every machine.

Keys, under ``<prefix>``: ``:queue`` (sorted set of request ids, by priority), ``:requests``
(hash id → serialised request), ``:seen`` (fingerprints), ``:seq`` (id counter),
``:workers`` (sorted set worker → lease deadline), ``:held:<worker>`` (sorted set of the
ids a worker holds, with their queue score).
"""

from __future__ import annotations

from scrapy_redis.queue import Base

# Lua helpers shared by the scripts: the Redis clock in seconds, and the return of the
# requests held by workers whose lease ran out.
_COMMON = """
local prefix = ARGV[1]
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) + tonumber(t[2]) / 1e6
end
local function give_back(worker)
  local held = prefix .. ':held:' .. worker
  local items = redis.call('ZRANGE', held, 0, -1, 'WITHSCORES')
  for i = 1, #items, 2 do redis.call('ZADD', prefix .. ':queue', items[i + 1], items[i]) end
  redis.call('DEL', held)
  redis.call('ZREM', prefix .. ':workers', worker)
end
local function reclaim()
  for _, worker in ipairs(redis.call('ZRANGEBYSCORE', prefix .. ':workers', '-inf', now())) do
    give_back(worker)
  end
end
local function pending()
  local count = redis.call('ZCARD', prefix .. ':queue')
  for _, worker in ipairs(redis.call('ZRANGE', prefix .. ':workers', 0, -1)) do
    count = count + redis.call('ZCARD', prefix .. ':held:' .. worker)
  end
  return count
end
local function add(fingerprint, data, score)
  if fingerprint ~= '' and redis.call('SADD', prefix .. ':seen', fingerprint) == 0 then return nil end
  local id = string.format('%012d', redis.call('INCR', prefix .. ':seq'))
  redis.call('HSET', prefix .. ':requests', id, data)
  redis.call('ZADD', prefix .. ':queue', score, id)
  return id
end
"""

# ARGV: prefix, fingerprint ('' when not filtered), data, score.  Returns 1 if queued.
_PUSH = _COMMON + """
return add(ARGV[2], ARGV[3], ARGV[4]) and 1 or 0
"""

# ARGV: prefix, worker, id, fingerprint, data, score: a held request comes back changed
# (a retry, a redirect) under its id.  Returns 1 if queued, 0 if dropped as a duplicate
# or no longer held by this worker.
_REPLACE = _COMMON + """
local held = prefix .. ':held:' .. ARGV[2]
if redis.call('ZREM', held, ARGV[3]) == 0 then return 0 end
if ARGV[4] ~= '' and redis.call('SADD', prefix .. ':seen', ARGV[4]) == 0 then
  redis.call('HDEL', prefix .. ':requests', ARGV[3])
  return 0
end
redis.call('HSET', prefix .. ':requests', ARGV[3], ARGV[5])
redis.call('ZADD', prefix .. ':queue', ARGV[6], ARGV[3])
return 1
"""

# ARGV: prefix, worker, lease seconds.  Returns {id, data} or nil.
_POP = _COMMON + """
reclaim()
redis.call('ZADD', prefix .. ':workers', now() + tonumber(ARGV[3]), ARGV[2])
local popped = redis.call('ZPOPMIN', prefix .. ':queue')
if #popped == 0 then return nil end
redis.call('ZADD', prefix .. ':held:' .. ARGV[2], popped[2], popped[1])
return {popped[1], redis.call('HGET', prefix .. ':requests', popped[1])}
"""

# ARGV: prefix, worker, id...: done with these requests.
_ACK = _COMMON + """
local held = prefix .. ':held:' .. ARGV[2]
for i = 3, #ARGV do
  if redis.call('ZREM', held, ARGV[i]) == 1 then redis.call('HDEL', prefix .. ':requests', ARGV[i]) end
end
return 0
"""

# ARGV: prefix, worker, id...: put these held requests back, unchanged.
_RELEASE = _COMMON + """
local held = prefix .. ':held:' .. ARGV[2]
for i = 3, #ARGV do
  local score = redis.call('ZSCORE', held, ARGV[i])
  if score then
    redis.call('ZREM', held, ARGV[i])
    redis.call('ZADD', prefix .. ':queue', score, ARGV[i])
  end
end
return 0
"""

# ARGV: prefix.  Requests queued or held by a live worker.
_PENDING = _COMMON + """
reclaim()
return pending()
"""


class LeasedQueue(Base):
    """One crawl's queue; scrapy-redis's queue base serialises the requests."""

    def __init__(self, server, spider, prefix: str, worker: str, lease: float):
        super().__init__(server, spider, prefix.replace("%", "%%") + ":queue")
        self.prefix = prefix
        self.worker = worker
        self.lease = lease
        self._push, self._replace, self._pop, self._ack, self._release, self._pending = (
            server.register_script(script) for script in (_PUSH, _REPLACE, _POP, _ACK, _RELEASE, _PENDING))

    def push(self, request, fingerprint: str = "") -> bool:
        """Queue a request unless its fingerprint was seen before in this crawl."""
        return bool(self._push(args=[self.prefix, fingerprint, self._encode_request(request),
                                     -request.priority]))

    def replace(self, lease_id: str, request, fingerprint: str = "") -> bool:
        """Give back a held request as ``request`` (its retry or redirect), under the same id."""
        return bool(self._replace(args=[self.prefix, self.worker, lease_id, fingerprint,
                                        self._encode_request(request), -request.priority]))

    def pop(self, timeout=0):
        """The next request and its lease id, now held by this worker; None if the queue is empty."""
        popped = self._pop(args=[self.prefix, self.worker, self.lease])
        if not popped:
            return None
        lease_id, data = popped
        return lease_id.decode(), self._decode_request(data)

    def ack(self, lease_ids) -> None:
        if lease_ids:
            self._ack(args=[self.prefix, self.worker, *lease_ids])

    def release(self, lease_ids) -> None:
        if lease_ids:
            self._release(args=[self.prefix, self.worker, *lease_ids])

    def pending(self) -> int:
        """Requests queued or held by any live worker: the crawl is over when none are left."""
        return int(self._pending(args=[self.prefix]))

    def __len__(self) -> int:
        return self.server.zcard(self.key)

    def clear(self) -> None:
        raise NotImplementedError("a shared queue is never cleared by one worker")
