//! The database: one pool for SQLite or PostgreSQL (sqlx's `Any` driver, chosen by
//! `DATABASE_URL`), the schema, and the seed data.

use std::str::FromStr;

use ferrapi::security::password::hash_password;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Row};

/// Which database the pool talks to: the DDL differs a little.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (the default: a file created on start-up).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The connection pool, registered as state.
#[derive(Clone, Debug)]
pub struct Db {
    /// The pool.
    pub pool: AnyPool,
    /// Its backend.
    pub backend: Backend,
}

/// The advisory lock instances take while migrating and seeding (any fixed number).
const MIGRATION_LOCK: i64 = 0x5e0b_5409;

/// Connects to `url`, creating the SQLite file if needed, migrates and seeds.
pub async fn connect(url: &str) -> Result<Db, String> {
    sqlx::any::install_default_drivers();
    let backend = if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Backend::Postgres
    } else {
        return Err(format!(
            "DATABASE_URL must start with sqlite:// or postgres://, not {url:?}"
        ));
    };
    let url = match backend {
        // Create the file when missing; wait for the write lock instead of failing at once.
        Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
        _ => url.to_string(),
    };
    let opts = AnyConnectOptions::from_str(&url)
        .map_err(|e| format!("invalid DATABASE_URL: {e}"))?
        .disable_statement_logging();
    let pool = AnyPoolOptions::new()
        .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
        .connect_with(opts)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let db = Db { pool, backend };
    // Instances starting together on one PostgreSQL take turns: concurrent `CREATE TABLE IF
    // NOT EXISTS` can collide, and the seed must happen once. The session lock is held by
    // one connection while others do the work, and freed when it is released.
    let mut lock = None;
    if backend == Backend::Postgres {
        let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await
            .map_err(|e| format!("cannot lock for migrations: {e}"))?;
        lock = Some(conn);
    }
    let prepared = async {
        migrate(&db)
            .await
            .map_err(|e| format!("cannot migrate the database: {e}"))?;
        seed(&db)
            .await
            .map_err(|e| format!("cannot seed the database: {e}"))?;
        // Orders delete their customer's expired keys; this catches customers who left.
        let expired = (chrono::Utc::now() - crate::orders::IDEMPOTENCY_KEY_LIFETIME).to_rfc3339();
        sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(expired)
            .execute(&db.pool)
            .await
            .map(|_| ())
            .map_err(|e| format!("cannot clean expired idempotency keys: {e}"))
    }
    .await;
    if let Some(mut conn) = lock {
        let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await;
    }
    prepared.map(|()| db)
}

async fn migrate(db: &Db) -> Result<(), sqlx::Error> {
    let id = match db.backend {
        Backend::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
        Backend::Postgres => "BIGSERIAL PRIMARY KEY",
    };
    if db.backend == Backend::Sqlite {
        sqlx::query("PRAGMA journal_mode=WAL")
            .execute(&db.pool)
            .await?;
        sqlx::query("PRAGMA busy_timeout=10000")
            .execute(&db.pool)
            .await?;
    }
    let ddl = [
        format!("CREATE TABLE IF NOT EXISTS customers (id {id}, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, is_admin BIGINT NOT NULL DEFAULT 0)"),
        format!("CREATE TABLE IF NOT EXISTS categories (id {id}, name TEXT NOT NULL UNIQUE)"),
        format!("CREATE TABLE IF NOT EXISTS products (id {id}, name TEXT NOT NULL, description TEXT, price_cents BIGINT NOT NULL, stock BIGINT NOT NULL, category_id BIGINT REFERENCES categories(id), created_at TEXT NOT NULL)"),
        format!("CREATE TABLE IF NOT EXISTS orders (id {id}, customer_id BIGINT NOT NULL REFERENCES customers(id), total_cents BIGINT NOT NULL, created_at TEXT NOT NULL)"),
        format!("CREATE TABLE IF NOT EXISTS order_items (id {id}, order_id BIGINT NOT NULL REFERENCES orders(id), product_id BIGINT NOT NULL REFERENCES products(id), quantity BIGINT NOT NULL, unit_price_cents BIGINT NOT NULL)"),
        "CREATE TABLE IF NOT EXISTS cart_items (customer_id BIGINT NOT NULL, product_id BIGINT NOT NULL, quantity BIGINT NOT NULL, PRIMARY KEY (customer_id, product_id))".to_string(),
        // Idempotency keys of POST /orders: the request each was first used with and the
        // order it created (kept a day).
        "CREATE TABLE IF NOT EXISTS idempotency_keys (customer_id BIGINT NOT NULL, idem_key TEXT NOT NULL, request TEXT NOT NULL, order_id BIGINT, created_at TEXT NOT NULL, PRIMARY KEY (customer_id, idem_key))".to_string(),
        "CREATE INDEX IF NOT EXISTS orders_customer ON orders (customer_id)".to_string(),
        "CREATE INDEX IF NOT EXISTS order_items_order ON order_items (order_id)".to_string(),
        "CREATE INDEX IF NOT EXISTS products_category ON products (category_id)".to_string(),
    ];
    for stmt in ddl {
        sqlx::query(&stmt).execute(&db.pool).await?;
    }
    Ok(())
}

/// The seeded accounts: `alice` / `wonderland` (customer) and `admin` / `change-me` (admin).
pub const SEED_USERS: &[(&str, &str, bool)] =
    &[("alice", "wonderland", false), ("admin", "change-me", true)];

async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    for (name, password, admin) in SEED_USERS {
        let exists = sqlx::query("SELECT id FROM customers WHERE username = $1")
            .bind(*name)
            .fetch_optional(&db.pool)
            .await?;
        if exists.is_none() {
            let hash = hash_password(password)
                .await
                .map_err(sqlx::Error::Protocol)?;
            sqlx::query(
                "INSERT INTO customers (username, password_hash, is_admin) VALUES ($1, $2, $3)",
            )
            .bind(*name)
            .bind(hash)
            .bind(*admin as i64)
            .execute(&db.pool)
            .await?;
        }
    }
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM products")
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
    if count > 0 {
        return Ok(());
    }
    let categories = ["Tools", "Garden", "Kitchen"];
    let mut ids = Vec::new();
    for c in categories {
        let row = sqlx::query("INSERT INTO categories (name) VALUES ($1) RETURNING id")
            .bind(c)
            .fetch_one(&db.pool)
            .await?;
        ids.push(row.try_get::<i64, _>("id")?);
    }
    let products: &[(&str, &str, i64, i64, usize)] = &[
        (
            "Claw hammer",
            "16 oz steel hammer with a fibreglass handle",
            1299,
            25,
            0,
        ),
        (
            "Screwdriver set",
            "Six screwdrivers, flat and Phillips",
            1950,
            40,
            0,
        ),
        ("Tape measure", "5 m, locking", 799, 60, 0),
        ("Cordless drill", "18 V, two batteries", 8900, 8, 0),
        ("Garden hose", "25 m, kink-free", 3450, 15, 1),
        ("Pruning shears", "Bypass blades for live wood", 2199, 30, 1),
        ("Watering can", "10 l, galvanised", 2599, 12, 1),
        ("Chef's knife", "20 cm, forged steel", 5900, 10, 2),
        ("Cast iron pan", "28 cm, pre-seasoned", 4500, 14, 2),
        ("Wooden spoons", "Set of three, beech", 899, 50, 2),
    ];
    let now = chrono::Utc::now().to_rfc3339();
    for (name, desc, price, stock, cat) in products {
        sqlx::query("INSERT INTO products (name, description, price_cents, stock, category_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(*name)
            .bind(*desc)
            .bind(*price)
            .bind(*stock)
            .bind(ids[*cat])
            .bind(&now)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}
