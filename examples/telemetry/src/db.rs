//! The database: SQLite for one instance (the default: a file, nothing to install), or
//! PostgreSQL, which several instances share (`DATABASE_URL=postgres://...`). The same
//! guarantees on both: a batch is stored whole or not at all, a device id and a key hash
//! are unique, the seed device is created once.

use std::fmt::Display;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ferrapi::security::constant_time_eq;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, QueryBuilder, Sqlite};

use crate::{key_hash, Device, Metric, NewReading, Stats, SEED_DEVICE, SEED_KEY};

/// The connection pools.
#[derive(Clone, Debug)]
pub struct Db(Pools);

#[derive(Clone, Debug)]
enum Pools {
    /// One writer connection (SQLite serialises writes anyway; queueing them in the pool
    /// beats retrying on `SQLITE_BUSY`) and a few readers (WAL mode lets them read while a
    /// batch is written).
    Sqlite {
        writer: SqlitePool,
        reader: SqlitePool,
    },
    /// One pool: PostgreSQL writes concurrently.
    Postgres(PgPool),
}

const SQLITE_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS devices (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    key_hash   BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS readings (
    device  INTEGER NOT NULL REFERENCES devices(seq),
    ts      INTEGER NOT NULL, -- microseconds since the Unix epoch, UTC
    metric  TEXT NOT NULL,
    value   REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS readings_by_device ON readings (device, metric, ts);
";

const POSTGRES_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS devices (
    seq        BIGSERIAL PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    key_hash   BYTEA NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS readings (
    device  BIGINT NOT NULL REFERENCES devices(seq),
    ts      BIGINT NOT NULL, -- microseconds since the Unix epoch, UTC
    metric  TEXT NOT NULL,
    value   DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS readings_by_device ON readings (device, metric, ts);
";

/// The advisory lock instances take while creating the schema (any fixed number).
const MIGRATION_LOCK: i64 = 0x7e1e_3e7e;

// The statements both databases run alike (`$n` parameters work in SQLite too).
const SEED: &str = "INSERT INTO devices (id, key_hash, created_at) VALUES ($1, $2, $3) \
                    ON CONFLICT DO NOTHING";
const DEVICE_BY_KEY: &str = "SELECT seq, id, key_hash FROM devices WHERE key_hash = $1";
const REGISTER: &str = "INSERT INTO devices (id, key_hash, created_at) VALUES ($1, $2, $3)";
const DEVICE_SEQ: &str = "SELECT seq FROM devices WHERE id = $1";
const STATS: &str = "SELECT COUNT(*), MIN(value), MAX(value), AVG(value) FROM readings \
                     WHERE device = $1 AND metric = $2 AND ts >= $3";
const INSERT_READINGS: &str = "INSERT INTO readings (device, ts, metric, value) ";
/// 4 parameters a row: far below either database's parameter limit, and fixed-size chunks
/// keep the prepared-statement cache small.
const INSERT_CHUNK: usize = 250;

type StatsRow = (i64, Option<f64>, Option<f64>, Option<f64>);

/// Runs `body` once per backend, with `pool` the SQLite `reader` or `writer` pool (or the
/// PostgreSQL pool) and `Db` naming the sqlx database: the statements are the same text.
macro_rules! on_pool {
    ($db:expr, $side:ident, |$pool:ident, $Db:ident| $body:expr) => {
        match &$db.0 {
            Pools::Sqlite { $side: $pool, .. } => {
                #[allow(dead_code)]
                type $Db = Sqlite;
                $body
            }
            Pools::Postgres($pool) => {
                #[allow(dead_code)]
                type $Db = Postgres;
                $body
            }
        }
    };
}

impl Db {
    /// Opens the database at `url` (`sqlite://...`, created if missing, or
    /// `postgres://...`), creates the tables, seeds `sensor-1`. Fails with a message naming
    /// the URL.
    pub async fn open(url: &str) -> Result<Db, String> {
        let fail = |e: &dyn Display| format!("cannot open the database at {url:?}: {e}");
        if url.starts_with("sqlite:") {
            Self::open_sqlite(url).await.map_err(|e| fail(&e))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Self::open_postgres(url).await.map_err(|e| fail(&e))
        } else {
            Err(fail(
                &"DATABASE_URL must be sqlite://telemetry.db or postgres://user@host/db",
            ))
        }
    }

    async fn open_sqlite(url: &str) -> Result<Db, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        // The writer keeps its connection open, so an in-memory database lives as long as
        // the app.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone())
            .await?;
        sqlx::raw_sql(SQLITE_SCHEMA).execute(&writer).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::query(SEED)
            .bind(SEED_DEVICE)
            .bind(&key_hash(SEED_KEY)[..])
            .bind(Utc::now().to_rfc3339())
            .execute(&writer)
            .await?;
        Ok(Db(Pools::Sqlite { writer, reader }))
    }

    async fn open_postgres(url: &str) -> Result<Db, sqlx::Error> {
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await?;
        // Instances starting together take turns: concurrent CREATE TABLE IF NOT EXISTS
        // can collide. The transaction-scoped lock is freed at commit.
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *tx)
            .await?;
        for statement in POSTGRES_SCHEMA.split(';').filter(|s| !s.trim().is_empty()) {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        sqlx::query(SEED)
            .bind(SEED_DEVICE)
            .bind(&key_hash(SEED_KEY)[..])
            .bind(Utc::now().to_rfc3339())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Db(Pools::Postgres(pool)))
    }

    /// Closes every connection; with SQLite, the last one to close checkpoints the WAL.
    pub async fn close(&self) {
        match &self.0 {
            Pools::Sqlite { writer, reader } => {
                reader.close().await;
                writer.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }

    /// The device whose key hashes to `hash`.
    pub(crate) async fn device_by_key(
        &self,
        hash: &[u8; 32],
    ) -> Result<Option<Device>, sqlx::Error> {
        let row: Option<(i64, String, Vec<u8>)> = on_pool!(self, reader, |pool, _Db| {
            sqlx::query_as(DEVICE_BY_KEY)
                .bind(&hash[..])
                .fetch_optional(pool)
                .await?
        });
        // The lookup is by hash, so its timing says nothing useful about the key; the
        // final comparison is constant-time all the same.
        Ok(row
            .filter(|(_, _, stored)| constant_time_eq(stored, hash))
            .map(|(seq, id, _)| Device { id, seq }))
    }

    /// Registers a device; `Ok(false)` when the id is taken.
    pub(crate) async fn register(&self, id: &str, key: &str) -> Result<bool, sqlx::Error> {
        let hash = key_hash(key);
        let created = Utc::now().to_rfc3339();
        let res = on_pool!(self, writer, |pool, _Db| {
            sqlx::query(REGISTER)
                .bind(id)
                .bind(&hash[..])
                .bind(created)
                .execute(pool)
                .await
                .map(|_| ())
        });
        match res {
            Ok(()) => Ok(true),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Stores a batch in one transaction.
    pub(crate) async fn insert(
        &self,
        device: i64,
        readings: &[NewReading],
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, writer, |pool, Database| {
            let mut tx = pool.begin().await?;
            for chunk in readings.chunks(INSERT_CHUNK) {
                let mut q = QueryBuilder::<Database>::new(INSERT_READINGS);
                q.push_values(chunk, |mut row, r| {
                    row.push_bind(device)
                        .push_bind(r.ts.timestamp_micros())
                        .push_bind(r.metric.as_str())
                        .push_bind(r.value);
                });
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await
        })
    }

    /// The stats of a device's metric, `None` for an unknown device.
    pub(crate) async fn stats(
        &self,
        device_id: &str,
        metric: Metric,
        since: Option<DateTime<Utc>>,
    ) -> Result<Option<Stats>, sqlx::Error> {
        let since = since.map(|t| t.timestamp_micros()).unwrap_or(i64::MIN);
        let found: Option<StatsRow> = on_pool!(self, reader, |pool, _Db| {
            match sqlx::query_as::<_, (i64,)>(DEVICE_SEQ)
                .bind(device_id)
                .fetch_optional(pool)
                .await?
            {
                None => None,
                Some((seq,)) => Some(
                    sqlx::query_as(STATS)
                        .bind(seq)
                        .bind(metric.as_str())
                        .bind(since)
                        .fetch_one(pool)
                        .await?,
                ),
            }
        });
        Ok(found.map(|(count, min, max, mean)| Stats {
            device_id: device_id.to_string(),
            metric,
            count,
            min,
            max,
            mean,
        }))
    }
}
