/**
 * The Lua script the Redis store runs for each decision: the same steps as `decide()` in
 * sliding-window.ts, executed inside Redis so that one decision is one atomic step for every
 * gateway instance sharing the server. Time is Redis's own `TIME`, so instances whose clocks
 * disagree still agree on every decision.
 *
 * State: one hash per key. Fields `n` (units counted), `h` (sequence number of the oldest
 * slot) and `t` (next sequence number); each slot is a field named by its sequence number
 * holding `<slot end ms>:<cost>`. At most 101 slots are live, so the hash stays in Redis's
 * compact encoding. The key expires when its newest slot leaves the window.
 *
 * A refusal writes nothing at all: it cannot consume quota.
 *
 * KEYS[1] the key's hash. ARGV: limit, windowMs, cost, slotMs.
 * Returns { allowed 0|1, remaining, reset ms, retry-after ms (-1: never), reason 0|1|2 }
 * where reason 1 is limit-reached and 2 cost-over-limit.
 */
export const SLIDING_WINDOW_LUA = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local slotMs = tonumber(ARGV[4])

-- Redis before 5 needs this to write after TIME; later versions replicate effects anyway.
if redis.replicate_commands then
  redis.replicate_commands()
end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

local meta = redis.call('HMGET', key, 'n', 'h', 't')
local total = tonumber(meta[1]) or 0
local head = tonumber(meta[2]) or 0
local tail = tonumber(meta[3]) or 0

local function slot(seq)
  local value = redis.call('HGET', key, seq)
  local slotEnd, slotCost = string.match(value, '^(%d+):(%d+)$')
  return tonumber(slotEnd), tonumber(slotCost)
end

-- Skip the slots that have left the window (deleted only if this call writes).
local first = head
local oldestEnd = nil
while first < tail do
  local slotEnd, slotCost = slot(first)
  if slotEnd + window > now then
    oldestEnd = slotEnd
    break
  end
  total = total - slotCost
  first = first + 1
end

local allowed = 0
local retry = 0
local reason = 0
if cost > limit then
  retry = -1
  reason = 2
elseif total + cost <= limit then
  allowed = 1
  if cost > 0 then
    for seq = head, first - 1 do
      redis.call('HDEL', key, seq)
    end
    local slotEnd = (math.floor(now / slotMs) + 1) * slotMs
    local newestEnd = slotEnd
    local merged = false
    if first < tail then
      local lastEnd, lastCost = slot(tail - 1)
      -- A clock that stepped back lands in the newest slot: later expiry, never an early one.
      if lastEnd >= slotEnd then
        redis.call('HSET', key, tail - 1, string.format('%d:%d', lastEnd, lastCost + cost))
        newestEnd = lastEnd
        merged = true
      end
    end
    if not merged then
      redis.call('HSET', key, tail, string.format('%d:%d', slotEnd, cost))
      tail = tail + 1
    end
    if oldestEnd == nil then
      oldestEnd = slotEnd
    end
    total = total + cost
    redis.call('HSET', key, 'n', total, 'h', first, 't', tail)
    redis.call('PEXPIRE', key, newestEnd + window - now)
  end
else
  reason = 1
  local needed = total + cost - limit
  local freed = 0
  for seq = first, tail - 1 do
    local slotEnd, slotCost = slot(seq)
    freed = freed + slotCost
    if freed >= needed then
      retry = slotEnd + window - now
      break
    end
  end
end

local remaining = limit - total
if remaining < 0 then
  remaining = 0
end
local reset = window
if oldestEnd ~= nil then
  reset = oldestEnd + window - now
end
return { allowed, remaining, reset, retry, reason }
`;
