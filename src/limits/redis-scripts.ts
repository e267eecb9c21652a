/**
 * Lua scripts for the Redis `LimitStore`. Each runs atomically on the server, so every
 * instance sharing the Redis sees one set of counters. Both read the server clock
 * (`TIME`), so instances with skewed clocks still agree on the window.
 *
 * Keys, under the store's prefix:
 * - `{<descriptor>:<value>}:requests:<window id>` and `…:tokens:<window id>`: integers
 *   that expire when their window ends (PEXPIREAT);
 * - `{<descriptor>:<value>}:max_parallel_requests`: a sorted set of lease ids scored by
 *   each lease's own expiry; the key's TTL is refreshed on every admission, and an empty
 *   set disappears by itself.
 * The windowed names are derived in the script from the stems in KEYS, which needs a
 * standalone Redis (not Cluster), like any script touching several descriptors at once.
 */

const NOW_MS = `
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS: per spec, 3 stems: requests, tokens, max_parallel_requests.
 * ARGV: window_ms, parallel_ttl_ms, lease_id, then per spec: rpm, tpm, max_parallel (-1 = no limit).
 * Returns {0, now_ms, spec index (1-based), type (1 requests, 2 tokens, 3 parallel), current}
 * when refused (nothing written), else {1, now_ms, requests_1, tokens_1, parallel_1, …}.
 */
export const ADMIT_SCRIPT = `${NOW_MS}
local window_ms = tonumber(ARGV[1])
local parallel_ttl_ms = tonumber(ARGV[2])
local lease_id = ARGV[3]
local window_id = math.floor(now_ms / window_ms)
local suffix = ':' .. string.format('%d', window_id)
local window_end = string.format('%d', (window_id + 1) * window_ms)
local now_str = string.format('%d', now_ms)
local n = #KEYS / 3
local result = {1, now_ms}
for i = 1, n do
  local rpm = tonumber(ARGV[(i - 1) * 3 + 4])
  local tpm = tonumber(ARGV[(i - 1) * 3 + 5])
  local maxp = tonumber(ARGV[(i - 1) * 3 + 6])
  local requests, tokens, parallel = 0, 0, 0
  if rpm >= 0 then requests = tonumber(redis.call('GET', KEYS[(i - 1) * 3 + 1] .. suffix) or '0') end
  if tpm >= 0 then tokens = tonumber(redis.call('GET', KEYS[(i - 1) * 3 + 2] .. suffix) or '0') end
  if maxp >= 0 then parallel = redis.call('ZCOUNT', KEYS[(i - 1) * 3 + 3], '(' .. now_str, '+inf') end
  if rpm >= 0 and requests + 1 > rpm then return {0, now_ms, i, 1, requests} end
  if tpm >= 0 and tokens >= tpm then return {0, now_ms, i, 2, tokens} end
  if maxp >= 0 and parallel + 1 > maxp then return {0, now_ms, i, 3, parallel} end
  table.insert(result, requests + 1)
  table.insert(result, tokens)
  table.insert(result, parallel + 1)
end
local lease_expiry = string.format('%d', now_ms + parallel_ttl_ms)
for i = 1, n do
  if tonumber(ARGV[(i - 1) * 3 + 4]) >= 0 then
    local key = KEYS[(i - 1) * 3 + 1] .. suffix
    redis.call('INCR', key)
    redis.call('PEXPIREAT', key, window_end)
  end
  if tonumber(ARGV[(i - 1) * 3 + 6]) >= 0 then
    local key = KEYS[(i - 1) * 3 + 3]
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now_str)
    redis.call('ZADD', key, lease_expiry, lease_id)
    redis.call('PEXPIRE', key, parallel_ttl_ms)
  end
end
return result
`;

/**
 * KEYS: the max_parallel_requests sets to leave, then the tokens stems to charge.
 * ARGV: number of parallel keys, window_ms, lease_id, then one token amount per tokens stem.
 */
export const RELEASE_SCRIPT = `
local np = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local lease_id = ARGV[3]
for i = 1, np do
  redis.call('ZREM', KEYS[i], lease_id)
end
if #KEYS > np then
${NOW_MS}
  local window_id = math.floor(now_ms / window_ms)
  local suffix = ':' .. string.format('%d', window_id)
  local window_end = string.format('%d', (window_id + 1) * window_ms)
  for i = np + 1, #KEYS do
    local amount = tonumber(ARGV[i - np + 3])
    if amount > 0 then
      local key = KEYS[i] .. suffix
      redis.call('INCRBY', key, amount)
      redis.call('PEXPIREAT', key, window_end)
    end
  end
end
return 1
`;
