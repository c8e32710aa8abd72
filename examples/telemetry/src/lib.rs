//! The telemetry example: IoT devices post batches of readings, authenticated by an API key;
//! batches are validated (every bad reading is reported at once), stored in SQLite (or
//! PostgreSQL, for several instances) one transaction per batch, summarised per device, and streamed live over server-sent events.
//!
//! See the README for the routes, the seeded device and curl examples.

use std::fmt::Display;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use ferrapi::constraints::{Constraints, Num, NumValue};
use ferrapi::error::{Loc, ValidationError, ValidationErrors};
use ferrapi::extract::AppState;
use ferrapi::prelude::*;
use ferrapi::realtime::Channels;
use ferrapi::realtime::EventStream;
use ferrapi::security::{constant_time_eq, ApiKeyConfig, ApiKeyHeader, Auth, Authenticate};
use ferrapi::Rejection;
use futures_util::StreamExt;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub mod db;

pub use db::Db;

/// The device seeded at start-up.
pub const SEED_DEVICE: &str = "sensor-1";
/// The seeded device's API key.
pub const SEED_KEY: &str = "dev-key-1";
/// How far ahead of the server's clock a reading's timestamp may be (clock skew).
pub const MAX_CLOCK_SKEW: TimeDelta = TimeDelta::seconds(60);
/// The most readings one batch may hold.
pub const MAX_BATCH: usize = 1000;
/// Messages (of up to [`LIVE_CHUNK`] readings) kept for slow stream subscribers before
/// they skip ahead.
const LIVE_CAPACITY: usize = 1024;
/// Readings per message on the live channel: small enough for every channels backend
/// (PostgreSQL's NOTIFY takes 7,999 bytes).
pub const LIVE_CHUNK: usize = 32;
/// The channel stored readings are published on.
pub const LIVE_CHANNEL: &str = "telemetry.readings";

/// What the app needs to start: where the database is, and the admin key.
#[derive(Clone, Debug)]
pub struct Settings {
    /// A SQLite URL: `sqlite://telemetry.db` (relative to the working directory),
    /// `sqlite:///var/lib/telemetry.db`, `sqlite::memory:`.
    pub database_url: String,
    /// The key `POST /devices` requires in `X-Admin-Key`.
    pub admin_key: String,
    /// Where stored readings are published for `GET /stream`: in memory (one instance),
    /// or a broker every instance shares.
    pub channels: Channels,
}

impl Settings {
    /// `DATABASE_URL` (default `sqlite://telemetry.db`), `ADMIN_API_KEY` (when unset, a
    /// random key for this run, printed once: no key is in the source), and
    /// `CHANNELS_URL` or `REDIS_URL` for the live stream across instances (default: in
    /// memory).
    pub fn from_env() -> Self {
        let admin_key = std::env::var("ADMIN_API_KEY").unwrap_or_else(|_| {
            let key = ferrapi::security::jwt::random_secret();
            eprintln!("warning: ADMIN_API_KEY is not set; this run's admin key is {key}");
            key
        });
        Settings {
            database_url: std::env::var("DATABASE_URL")
                .unwrap_or_else(|_| "sqlite://telemetry.db".into()),
            admin_key,
            channels: Channels::builder()
                .capacity(LIVE_CAPACITY)
                .from_env()
                .unwrap_or_else(|e| panic!("telemetry: {e}")),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------

/// What a reading measures.
#[model]
#[serde(rename_all = "lowercase")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ParamEnum)]
pub enum Metric {
    /// Degrees Celsius, -60 to 150.
    Temperature,
    /// Relative humidity in percent, 0 to 100.
    Humidity,
    /// Hectopascals, 300 to 1100.
    Pressure,
    /// Volts, 0 to 1000.
    Voltage,
    /// CO₂ in parts per million, 0 to 40000.
    Co2,
}

impl Metric {
    /// The accepted range, bounds included.
    pub fn range(self) -> (f64, f64) {
        match self {
            Metric::Temperature => (-60.0, 150.0),
            Metric::Humidity => (0.0, 100.0),
            Metric::Pressure => (300.0, 1100.0),
            Metric::Voltage => (0.0, 1000.0),
            Metric::Co2 => (0.0, 40000.0),
        }
    }

    /// Every metric.
    pub const ALL: [Metric; 5] = [
        Metric::Temperature,
        Metric::Humidity,
        Metric::Pressure,
        Metric::Voltage,
        Metric::Co2,
    ];
}

/// One reading as a device sends it.
#[model]
#[derive(Clone, Debug)]
pub struct NewReading {
    /// When it was measured (RFC 3339); not in the future.
    #[field(example = "2024-05-01T09:30:00Z")]
    pub ts: DateTime<Utc>,
    /// What was measured.
    pub metric: Metric,
    /// The value, within the metric's range.
    #[field(example = 21.5)]
    pub value: f64,
}

/// The body of `POST /readings`.
#[model]
pub struct Batch {
    /// 1 to 1000 readings, stored together or not at all.
    #[field(min_items = 1, max_items = 1000)]
    pub readings: Vec<NewReading>,
}

/// The answer to an accepted batch.
#[model]
pub struct Stored {
    /// How many readings were stored.
    pub stored: usize,
}

/// A stored reading, as streamed by `GET /stream`.
#[model]
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The device that sent it.
    pub device_id: String,
    /// When it was measured.
    pub ts: DateTime<Utc>,
    /// What was measured.
    pub metric: Metric,
    /// The value.
    pub value: f64,
}

/// The body of `POST /devices`.
#[model]
pub struct NewDevice {
    /// The device id: lowercase letters, digits and dashes, 1 to 40 of them.
    #[field(pattern = "^[a-z0-9-]{1,40}$", example = "sensor-2")]
    pub id: String,
}

/// A registered device and its API key (shown once: only its hash is kept).
#[model]
pub struct DeviceCreated {
    /// The device id.
    pub id: String,
    /// The key to send in `X-API-Key`.
    pub api_key: String,
}

/// Summary of one device's readings of one metric.
#[model]
#[derive(Debug, PartialEq)]
pub struct Stats {
    /// The device.
    pub device_id: String,
    /// The metric.
    pub metric: Metric,
    /// How many readings matched.
    pub count: i64,
    /// The smallest value (`null` without readings).
    pub min: Option<f64>,
    /// The largest value (`null` without readings).
    pub max: Option<f64>,
    /// The mean value (`null` without readings).
    pub mean: Option<f64>,
}

// ---------------------------------------------------------------------------------------
// Storage helpers (the database is in `db`)
// ---------------------------------------------------------------------------------------

/// SHA-256 of an API key: what the database keeps instead of the key.
pub fn key_hash(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// A new random API key (244 random bits from the OS generator, as hex).
fn new_api_key() -> String {
    format!(
        "tk_{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn internal(e: impl Display) -> HttpError {
    tracing::error!(error = %e, "database error");
    HttpError::internal("Internal Server Error")
}

// ---------------------------------------------------------------------------------------
// Live stream
// ---------------------------------------------------------------------------------------

/// In-memory channels for one instance, with the live stream's capacity.
pub fn memory_channels() -> Channels {
    Channels::builder().capacity(LIVE_CAPACITY).memory()
}

// ---------------------------------------------------------------------------------------
// Security
// ---------------------------------------------------------------------------------------

/// The device key header.
pub struct DeviceKey;

impl ApiKeyConfig for DeviceKey {
    const NAME: &'static str = "X-API-Key";
    const SCHEME_NAME: Option<&'static str> = Some("DeviceKey");
    const DESCRIPTION: Option<&'static str> = Some("The API key of a registered device.");
}

/// The admin key header.
pub struct AdminKey;

impl ApiKeyConfig for AdminKey {
    const NAME: &'static str = "X-Admin-Key";
    const SCHEME_NAME: Option<&'static str> = Some("AdminKey");
    const DESCRIPTION: Option<&'static str> = Some("The administrator key (env ADMIN_API_KEY).");
}

/// A device authenticated by its `X-API-Key`.
#[derive(Clone, Debug)]
pub struct Device {
    /// Its id.
    pub id: String,
    seq: i64,
}

impl Authenticate for Device {
    type Credentials = ApiKeyHeader<DeviceKey>;

    async fn authenticate(key: Self::Credentials, state: &AppState) -> Result<Self, HttpError> {
        let db = state.get::<Db>().expect("Db is registered at start-up");
        db.device_by_key(&key_hash(key.key()))
            .await
            .map_err(internal)?
            .ok_or_else(|| HttpError::forbidden("Invalid API key"))
    }
}

/// The SHA-256 of the admin key.
#[derive(Clone)]
pub struct AdminKeyHash([u8; 32]);

/// The administrator, authenticated by `X-Admin-Key`.
pub struct Admin;

impl Authenticate for Admin {
    type Credentials = ApiKeyHeader<AdminKey>;

    async fn authenticate(key: Self::Credentials, state: &AppState) -> Result<Self, HttpError> {
        let want = state
            .get::<AdminKeyHash>()
            .expect("AdminKeyHash is registered");
        // Hashing first makes the comparison constant-time in the key's length too.
        if constant_time_eq(&key_hash(key.key()), &want.0) {
            Ok(Admin)
        } else {
            Err(HttpError::forbidden("Invalid admin key"))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Validation across fields
// ---------------------------------------------------------------------------------------

/// Checks what the model's constraints cannot: each value against its metric's range,
/// and each timestamp against the clock. Returns every problem, located as
/// `["body", "readings", i, "value"]`.
pub fn check_readings(readings: &[NewReading], now: DateTime<Utc>) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    let base = Loc::body().join("readings");
    let latest = now + MAX_CLOCK_SKEW;
    for (i, r) in readings.iter().enumerate() {
        let at = base.join(i);
        if r.ts > latest {
            errors.push(
                ValidationError::new(
                    "datetime_past",
                    at.join("ts"),
                    format!(
                        "Input should be in the past (at most {} s ahead of the server clock)",
                        MAX_CLOCK_SKEW.num_seconds()
                    ),
                    Value::String(r.ts.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
                )
                .with_ctx(json!({
                    "now": now.to_rfc3339_opts(SecondsFormat::Secs, true),
                    "max_skew_seconds": MAX_CLOCK_SKEW.num_seconds(),
                })),
            );
        }
        let (lo, hi) = r.metric.range();
        let bounds = Constraints {
            ge: Some(Num::Float(lo)),
            le: Some(Num::Float(hi)),
            ..Constraints::NONE
        };
        if let Some(mut p) = bounds.check_number(NumValue::Float(r.value), true) {
            p.msg = format!("{} for {}", p.msg, r.metric.as_str()).into();
            if let Some(Value::Object(ctx)) = &mut p.ctx {
                ctx.insert("metric".into(), r.metric.as_str().into());
            }
            errors.push(ValidationError::from_problem(
                p,
                at.join("value"),
                json!(r.value),
            ));
        }
    }
    errors
}

// ---------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------

/// Ingest a batch of readings
///
/// Authenticated by the device's `X-API-Key`. Every reading is checked — its value
/// against its metric's range, its timestamp against the server clock (60 s of skew
/// allowed) — and a 422 lists every bad one; otherwise the whole batch is stored in one
/// transaction and sent to `/stream` subscribers.
#[post(
    "/readings",
    status = 202,
    tags = ["readings"],
    responses(401 = HttpError, 403 = HttpError)
)]
pub async fn ingest(
    Auth(device): Auth<Device>,
    db: State<Db>,
    live: State<Channels>,
    batch: Json<Batch>,
) -> Result<Json<Stored>, Rejection> {
    let readings = &batch.readings;
    check_readings(readings, Utc::now()).into_result()?;
    db.insert(device.seq, readings).await.map_err(internal)?;
    // On one instance with no `/stream` open, the batch is not copied at all.
    if live.may_be_heard(LIVE_CHANNEL) {
        for chunk in readings.chunks(LIVE_CHUNK) {
            let out: Vec<Reading> = chunk
                .iter()
                .map(|r| Reading {
                    device_id: device.id.clone(),
                    ts: r.ts,
                    metric: r.metric,
                    value: r.value,
                })
                .collect();
            // Stored is stored: a broker that is down costs the live view, not the batch.
            if let Err(e) = live.publish(LIVE_CHANNEL, &out).await {
                tracing::warn!(error = %e, "telemetry: readings not sent to the live stream");
                break;
            }
        }
    }
    Ok(Json(Stored {
        stored: readings.len(),
    }))
}

/// Register a device
///
/// Needs the admin key in `X-Admin-Key`. Answers the device's API key, which is not
/// stored (only its SHA-256 is) and cannot be shown again.
#[post(
    "/devices",
    status = 201,
    tags = ["devices"],
    responses(401 = HttpError, 403 = HttpError, 409 = HttpError)
)]
pub async fn register_device(
    _admin: Auth<Admin>,
    db: State<Db>,
    body: Json<NewDevice>,
) -> Result<Created<DeviceCreated>, HttpError> {
    let api_key = new_api_key();
    if db.register(&body.id, &api_key).await.map_err(internal)? {
        Ok(Created(DeviceCreated {
            id: body.0.id,
            api_key,
        }))
    } else {
        Err(HttpError::conflict(format!(
            "Device {:?} already exists",
            body.id
        )))
    }
}

/// Statistics of a device's metric
///
/// Count, minimum, maximum and mean of the device's readings of `metric`, from `since`
/// (RFC 3339, included) when given.
#[get(
    "/devices/{device_id}/stats",
    tags = ["devices"],
    responses(404 = HttpError)
)]
pub async fn device_stats(
    db: State<Db>,
    #[path(pattern = "^[a-z0-9-]{1,40}$")] device_id: String,
    #[query(description = "The metric to summarise")] metric: Metric,
    #[query(description = "Only readings at or after this time (RFC 3339)")] since: Option<
        DateTime<Utc>,
    >,
) -> Result<Json<Stats>, HttpError> {
    db.stats(&device_id, metric, since)
        .await
        .map_err(internal)?
        .map(Json)
        .ok_or_else(|| HttpError::not_found("Device not found"))
}

/// Live readings
///
/// Server-sent events, one `reading` event per stored reading, from the moment of
/// connecting, whichever instance stored it; optionally only one device's or one
/// metric's. A subscriber that falls more than 1024 messages behind skips ahead. The
/// stream ends when the server shuts down. 503 when the live channel's broker cannot be
/// reached.
#[get("/stream", tags = ["readings"], responses(503 = HttpError))]
pub async fn stream(
    live: State<Channels>,
    #[query(description = "Only this device's readings")] device_id: Option<String>,
    #[query(description = "Only this metric's readings")] metric: Option<Metric>,
) -> Result<EventStream<Reading>, HttpError> {
    let subscription = live
        .subscribe::<Vec<Reading>>(LIVE_CHANNEL)
        .await
        .map_err(|e| HttpError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
    let readings = subscription.into_stream().flat_map(move |chunk| {
        let keep: Vec<Reading> = match chunk {
            Ok(chunk) => chunk
                .into_iter()
                .filter(|r| device_id.as_deref().is_none_or(|d| d == r.device_id))
                .filter(|r| metric.is_none_or(|m| m == r.metric))
                .collect(),
            // Skipped ahead (`Gap::Lagged`) or interrupted: go on with what comes next.
            Err(_gap) => Vec::new(),
        };
        futures_util::stream::iter(keep)
    });
    // The subscription ends when the server begins to stop (App::channels), so the open
    // stream does not hold graceful shutdown up.
    Ok(EventStream::new(readings).named("reading"))
}

/// The app, configured from the environment (`DATABASE_URL`, `ADMIN_API_KEY`).
pub fn app() -> App {
    app_with(Settings::from_env())
}

/// The app with explicit settings. The database is opened at start-up, so building the
/// app, or its OpenAPI document, needs none.
pub fn app_with(settings: Settings) -> App {
    let url = settings.database_url;
    // Shutdown hooks cannot read the state start-up hooks made, so the pool is also kept
    // here, to be closed (checkpointing the WAL into the database file) at shutdown.
    let opened: Arc<OnceLock<Db>> = Arc::default();
    let keep = opened.clone();
    App::new()
        .title("Telemetry")
        .version("1.0.0")
        .description(
            "IoT telemetry ingestion: devices post batches of readings with their API key; \
             stats per device; a live stream of new readings.",
        )
        .tag("readings", "Ingestion and the live stream.")
        .tag("devices", "Registration and statistics.")
        .state(AdminKeyHash(key_hash(&settings.admin_key)))
        .channels(settings.channels)
        .startup(move || async move {
            let db = Db::open(&url).await?;
            let _ = keep.set(db.clone());
            Ok::<_, String>(db)
        })
        .on_shutdown(move || async move {
            if let Some(db) = opened.get() {
                db.close().await;
            }
        })
        .routes(routes![ingest, register_device, device_stats, stream])
}
