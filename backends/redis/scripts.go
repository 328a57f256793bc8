package redis

import goredis "github.com/redis/go-redis/v9"

// errPrecondition is what the commit script returns when a write's
// condition does not hold.
const errPrecondition = "CGPRECONDITION"

// The scripts run atomically on the server. Chunk keys are built inside
// them from ARGV, which a single server (not a Cluster) allows.

// commitScript writes an object's header (and inline value) if the
// condition holds, indexes the key, gives the new chunks the object's
// expiry (or none), and lets the replaced value's chunks expire in a
// minute. It returns the commit time in Unix nanoseconds.
//
//	KEYS[1] object key, KEYS[2] index
//	ARGV[1] mode: "" | "absent" | "version"   ARGV[2] expected version
//	ARGV[3] version  ARGV[4] size  ARGV[5] chunks  ARGV[6] ttl in ms (0: none)
//	ARGV[7] index member  ARGV[8] chunk key prefix  ARGV[9] inline value
var commitScript = goredis.NewScript(`
local cur = redis.call('GETRANGE', KEYS[1], 0, 127)
if cur == '' then cur = nil end
if ARGV[1] == 'absent' and cur then return redis.error_reply('` + errPrecondition + `') end
if ARGV[1] == 'version' then
  if not cur or string.match(cur, '^cg1 (%x+) ') ~= ARGV[2] then return redis.error_reply('` + errPrecondition + `') end
end
local t = redis.call('TIME')
local now = t[1] .. string.format('%06d', tonumber(t[2])) .. '000'
redis.call('SET', KEYS[1], 'cg1 ' .. ARGV[3] .. ' ' .. ARGV[4] .. ' ' .. now .. ' ' .. ARGV[5] .. '\n' .. ARGV[9])
local ttl = tonumber(ARGV[6])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
for i = 0, tonumber(ARGV[5]) - 1 do
  local ck = ARGV[8] .. ARGV[3] .. ':' .. i
  if ttl > 0 then redis.call('PEXPIRE', ck, ttl) else redis.call('PERSIST', ck) end
end
redis.call('ZADD', KEYS[2], 0, ARGV[7])
if cur then
  local ov, on = string.match(cur, '^cg1 (%x+) %d+ %d+ (%d+)\n')
  if ov and ov ~= ARGV[3] then
    for i = 0, tonumber(on) - 1 do redis.call('PEXPIRE', ARGV[8] .. ov .. ':' .. i, 60000) end
  end
end
return now
`)

// deleteScript removes an object and its index entry and lets its chunks
// expire in a minute. It returns 0 when the object did not exist.
//
//	KEYS[1] object key, KEYS[2] index; ARGV[1] index member, ARGV[2] chunk key prefix
var deleteScript = goredis.NewScript(`
local cur = redis.call('GETRANGE', KEYS[1], 0, 127)
if cur == '' then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
local ov, on = string.match(cur, '^cg1 (%x+) %d+ %d+ (%d+)\n')
if ov then
  for i = 0, tonumber(on) - 1 do redis.call('PEXPIRE', ARGV[2] .. ov .. ':' .. i, 60000) end
end
return 1
`)

// unindexScript removes index entries whose objects are gone (expired):
// atomically, so an object written again meanwhile keeps its entry.
//
//	KEYS[1] index; ARGV: pairs of object key and index member
var unindexScript = goredis.NewScript(`
for i = 1, #ARGV, 2 do
  if redis.call('EXISTS', ARGV[i]) == 0 then redis.call('ZREM', KEYS[1], ARGV[i + 1]) end
end
return 0
`)
