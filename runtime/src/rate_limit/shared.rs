//! Budgets shared by every instance: the same GCRA as the local limiter, computed inside
//! Redis by one script (atomic, on the Redis server's clock, so instances' clocks do not
//! matter). When Redis cannot answer within [`TIMEOUT`], the instance falls back to its
//! own counters (each instance then allows the full rate) and says so in the log.

use std::time::Duration;

use super::Key;
use crate::redis_conn::LazyConnection;

/// How long a check may wait for Redis before the local counters decide.
pub(super) const TIMEOUT: Duration = Duration::from_millis(250);

/// GCRA: a request is allowed when the theoretical arrival time, pushed one interval
/// further, stays within the burst. Answers 0 (allowed) or the microseconds to wait.
const SCRIPT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local new_tat = tat + interval
local ahead = new_tat - now
if ahead > window then return ahead - window end
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil(ahead / 1000))
return 0
";

/// One limit's budgets in Redis, under `ferrapi:rl:<name>:`.
pub(super) struct Shared {
    conn: LazyConnection,
    script: redis::Script,
    prefix: String,
    /// The time one request costs, and the burst window, in microseconds.
    interval_us: u64,
    window_us: u64,
}

impl Shared {
    pub(super) fn new(
        url: &str,
        name: &str,
        interval: Duration,
        burst: u32,
    ) -> Result<Self, redis::RedisError> {
        let interval_us = interval.as_micros().max(1) as u64;
        Ok(Shared {
            // No retry within a check: the local counters decide instead.
            conn: LazyConnection::open(url, TIMEOUT, 0)?,
            script: redis::Script::new(SCRIPT),
            prefix: format!("ferrapi:rl:{name}:"),
            interval_us,
            window_us: interval_us * u64::from(burst.max(1)),
        })
    }

    /// `Ok(None)` allowed, `Ok(Some(wait))` refused, `Err` when Redis did not answer.
    pub(super) async fn check(&self, key: &Key) -> Result<Option<Duration>, String> {
        let mut conn = self.conn.get().await?;
        let redis_key = format!("{}{}", self.prefix, key.as_text());
        let mut invocation = self.script.key(redis_key);
        invocation.arg(self.interval_us).arg(self.window_us);
        let wait_us: u64 = tokio::time::timeout(TIMEOUT, invocation.invoke_async(&mut conn))
            .await
            .map_err(|_| "timed out".to_string())?
            .map_err(|e| e.to_string())?;
        Ok((wait_us > 0).then(|| Duration::from_micros(wait_us)))
    }
}
