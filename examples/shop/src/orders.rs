//! Orders and the cart. Placing an order checks and decrements stock in one transaction:
//! each line's `UPDATE ... WHERE stock >= quantity` either takes the units or touches no
//! row, so concurrent orders can never oversell.

use ferrapi::error::{Loc, ValidationError, ValidationErrors};
use ferrapi::prelude::*;
use ferrapi::security::Auth;
use sqlx::Row;

use crate::auth::Customer;
use crate::db::Db;
use crate::{db_error, euros};

/// One line of an order request.
#[model]
#[derive(Clone, Debug)]
pub struct OrderLine {
    /// The product.
    #[field(ge = 1)]
    pub product_id: i64,
    /// How many units.
    #[field(ge = 1, le = 1000)]
    pub quantity: i64,
}

/// The body of `POST /orders`.
#[model]
pub struct NewOrder {
    /// The lines (1 to 100, each product at most once).
    #[field(min_items = 1, max_items = 100)]
    pub items: Vec<OrderLine>,
}

/// A line of a placed order.
#[model]
#[derive(Clone, Debug)]
pub struct OrderItem {
    /// The product.
    pub product_id: i64,
    /// Units ordered.
    pub quantity: i64,
    /// Unit price when ordered, in euros.
    pub unit_price: f64,
}

/// A placed order.
#[model]
#[derive(Clone, Debug)]
pub struct Order {
    /// Id.
    pub id: i64,
    /// The customer's id.
    pub customer_id: i64,
    /// The lines.
    pub items: Vec<OrderItem>,
    /// Total in euros.
    pub total: f64,
    /// When it was placed.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The body of `PUT /cart/items/{product_id}`.
#[model]
pub struct CartQuantity {
    /// Units wanted.
    #[field(ge = 1, le = 1000)]
    pub quantity: i64,
}

/// The cart.
#[model]
pub struct Cart {
    /// Its lines.
    pub items: Vec<OrderLine>,
}

/// How long an idempotency key is remembered.
pub const IDEMPOTENCY_KEY_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// What placing an order gave.
pub(crate) enum Placed {
    /// A new order.
    New(Order),
    /// The order this idempotency key created before.
    Replayed(i64),
}

/// Places an order in one transaction; 409 (and nothing changed) when a product is short.
/// With an idempotency key, the key is claimed in the same transaction: a retry (on any
/// instance, even while the first attempt is still running) waits for the first one and
/// gets its order instead of a second one.
pub(crate) async fn place(
    db: &Db,
    customer_id: i64,
    lines: &[OrderLine],
    key: Option<&str>,
) -> Result<Placed, HttpError> {
    let mut seen = std::collections::HashSet::new();
    let mut repeated = ValidationErrors::new();
    for (i, l) in lines.iter().enumerate() {
        if !seen.insert(l.product_id) {
            repeated.push(ValidationError::new(
                "value_error",
                Loc::body().join("items").join(i).join("product_id"),
                "Value error, each product may appear once per order",
                l.product_id.into(),
            ));
        }
    }
    repeated.into_result()?;
    let mut tx = db.pool.begin().await.map_err(db_error)?;
    if let Some(key) = key {
        // What the key is bound to: the lines as JSON (only orders with a key pay for it).
        let request =
            serde_json::to_string(lines).map_err(|e| db_error(sqlx::Error::Encode(e.into())))?;
        // Claiming the key is the transaction's first write: a concurrent attempt with the
        // same key blocks here until this one commits (then finds the key) or rolls back
        // (then claims it).
        let expired = (chrono::Utc::now() - IDEMPOTENCY_KEY_LIFETIME).to_rfc3339();
        sqlx::query("DELETE FROM idempotency_keys WHERE customer_id = $1 AND created_at < $2")
            .bind(customer_id)
            .bind(expired)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        let claimed = sqlx::query(
            "INSERT INTO idempotency_keys (customer_id, idem_key, request, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (customer_id, idem_key) DO NOTHING",
        )
        .bind(customer_id)
        .bind(key)
        .bind(&request)
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?
        .rows_affected();
        if claimed == 0 {
            let row = sqlx::query(
                "SELECT request, order_id FROM idempotency_keys WHERE customer_id = $1 AND idem_key = $2",
            )
            .bind(customer_id)
            .bind(key)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
            let first: String = row.try_get("request").map_err(db_error)?;
            if first != request {
                // A 422 in the shape of every other one: the header is the bad input.
                let mut errors = ValidationErrors::new();
                errors.push(ValidationError::new(
                    "idempotency_key_reused",
                    Loc::header("Idempotency-Key"),
                    "Value error, this Idempotency-Key was used with another request",
                    key.into(),
                ));
                return Err(errors.into());
            }
            let order_id: i64 = row.try_get("order_id").map_err(db_error)?;
            return Ok(Placed::Replayed(order_id));
        }
    }
    let mut items = Vec::with_capacity(lines.len());
    let mut total = 0i64;
    for l in lines {
        // Write first: on SQLite the transaction then takes the write lock at once (waiting
        // for other writers) instead of failing to upgrade a read snapshot under contention.
        let taken =
            sqlx::query("UPDATE products SET stock = stock - $1 WHERE id = $2 AND stock >= $1")
                .bind(l.quantity)
                .bind(l.product_id)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
        let row = sqlx::query("SELECT price_cents FROM products WHERE id = $1")
            .bind(l.product_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?
            .ok_or_else(|| HttpError::not_found(format!("Product {} not found", l.product_id)))?;
        if taken != 1 {
            // Dropping the transaction rolls back the lines already taken.
            return Err(HttpError::conflict(serde_json::json!({
                "message": "Not enough stock",
                "product_id": l.product_id,
            })));
        }
        let price: i64 = row.try_get("price_cents").map_err(db_error)?;
        total += price * l.quantity;
        items.push(OrderItem {
            product_id: l.product_id,
            quantity: l.quantity,
            unit_price: euros(price),
        });
    }
    // Stored as RFC 3339 text, which both SQLite and PostgreSQL keep as written.
    let created_at = chrono::Utc::now();
    let row = sqlx::query("INSERT INTO orders (customer_id, total_cents, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(customer_id)
        .bind(total)
        .bind(created_at.to_rfc3339())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
    let id: i64 = row.try_get("id").map_err(db_error)?;
    for (l, it) in lines.iter().zip(&items) {
        sqlx::query("INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(l.product_id)
            .bind(l.quantity)
            .bind(crate::cents(it.unit_price))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
    }
    if let Some(key) = key {
        sqlx::query(
            "UPDATE idempotency_keys SET order_id = $1 WHERE customer_id = $2 AND idem_key = $3",
        )
        .bind(id)
        .bind(customer_id)
        .bind(key)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    }
    tx.commit().await.map_err(db_error)?;
    Ok(Placed::New(Order {
        id,
        customer_id,
        items,
        total: euros(total),
        created_at,
    }))
}

fn order_item(r: &sqlx::any::AnyRow) -> Result<OrderItem, HttpError> {
    Ok(OrderItem {
        product_id: r.try_get("product_id").map_err(db_error)?,
        quantity: r.try_get("quantity").map_err(db_error)?,
        unit_price: euros(r.try_get("unit_price_cents").map_err(db_error)?),
    })
}

fn order_head(row: &sqlx::any::AnyRow) -> Result<Order, HttpError> {
    Ok(Order {
        id: row.try_get("id").map_err(db_error)?,
        customer_id: row.try_get("customer_id").map_err(db_error)?,
        items: Vec::new(),
        total: euros(row.try_get("total_cents").map_err(db_error)?),
        created_at: {
            let text: String = row.try_get("created_at").map_err(db_error)?;
            chrono::DateTime::parse_from_rfc3339(&text)
                .map_err(|e| db_error(sqlx::Error::Decode(Box::new(e))))?
                .with_timezone(&chrono::Utc)
        },
    })
}

async fn load(db: &Db, id: i64) -> Result<Option<Order>, HttpError> {
    let Some(row) =
        sqlx::query("SELECT id, customer_id, total_cents, created_at FROM orders WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await
            .map_err(db_error)?
    else {
        return Ok(None);
    };
    let lines = sqlx::query("SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(&db.pool)
        .await
        .map_err(db_error)?;
    let mut order = order_head(&row)?;
    order.items = lines.iter().map(order_item).collect::<Result<_, _>>()?;
    Ok(Some(order))
}

/// Place an order
///
/// Checks and takes the stock of every line in one transaction: 409 when a product is
/// short, and then nothing is taken. Send an `Idempotency-Key` to make retries safe: the
/// same key with the same lines answers the order it created (201, same body) instead of
/// ordering again, on any instance, for 24 hours; with other lines, 422. A refused order
/// (409, 404) does not use up its key.
#[post("/orders", status = 201, tags = ["orders"], responses(404 = HttpError, 409 = HttpError))]
pub async fn create_order(
    db: State<Db>,
    Auth(c): Auth<Customer>,
    #[header(
        alias = "Idempotency-Key",
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~]+$",
        description = "A unique key per order attempt (a UUID, say); retries send the same key."
    )]
    idempotency_key: Option<String>,
    body: Json<NewOrder>,
) -> Result<Created<Order>, HttpError> {
    match place(&db, c.id, &body.items, idempotency_key.as_deref()).await? {
        Placed::New(order) => Ok(Created(order)),
        Placed::Replayed(id) => load(&db, id)
            .await?
            .map(Created)
            .ok_or_else(|| HttpError::not_found("Order not found")),
    }
}

/// Read an order
///
/// Customers see their own orders; administrators see every order.
#[get("/orders/{id}", tags = ["orders"], responses(404 = HttpError))]
pub async fn read_order(
    db: State<Db>,
    Auth(c): Auth<Customer>,
    #[path(ge = 1)] id: i64,
) -> Result<Json<Order>, HttpError> {
    match load(&db, id).await? {
        Some(o) if o.customer_id == c.id || c.is_admin() => Ok(Json(o)),
        _ => Err(HttpError::not_found("Order not found")),
    }
}

/// A page of orders.
#[model]
pub struct OrderPage {
    /// The orders, oldest first.
    pub items: Vec<Order>,
    /// How many orders there are.
    pub total: i64,
    /// The page size asked for.
    pub limit: i64,
    /// The offset asked for.
    pub offset: i64,
}

/// My orders
///
/// A page of the customer's orders, oldest first, with how many there are in all.
#[get("/orders", tags = ["orders"])]
pub async fn list_orders(
    db: State<Db>,
    Auth(c): Auth<Customer>,
    #[query(default = 20, ge = 1, le = 100)] limit: i64,
    #[query(default = 0, ge = 0)] offset: i64,
) -> Result<Json<OrderPage>, HttpError> {
    // Three queries whatever the page size: the count, the page, and all its lines.
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM orders WHERE customer_id = $1")
        .bind(c.id)
        .fetch_one(&db.pool)
        .await
        .map_err(db_error)?
        .try_get("n")
        .map_err(db_error)?;
    let rows = sqlx::query("SELECT id, customer_id, total_cents, created_at FROM orders WHERE customer_id = $1 ORDER BY id LIMIT $2 OFFSET $3")
        .bind(c.id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&db.pool)
        .await
        .map_err(db_error)?;
    let mut orders = rows.iter().map(order_head).collect::<Result<Vec<_>, _>>()?;
    if let (Some(first), Some(last)) = (orders.first(), orders.last()) {
        let lines = sqlx::query("SELECT order_id, product_id, quantity, unit_price_cents FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE customer_id = $1 AND id BETWEEN $2 AND $3) ORDER BY order_id, id")
            .bind(c.id)
            .bind(first.id)
            .bind(last.id)
            .fetch_all(&db.pool)
            .await
            .map_err(db_error)?;
        for line in &lines {
            let order_id: i64 = line.try_get("order_id").map_err(db_error)?;
            if let Ok(i) = orders.binary_search_by_key(&order_id, |o| o.id) {
                orders[i].items.push(order_item(line)?);
            }
        }
    }
    Ok(Json(OrderPage {
        items: orders,
        total,
        limit,
        offset,
    }))
}

async fn cart_of(db: &Db, customer_id: i64) -> Result<Cart, HttpError> {
    let rows = sqlx::query(
        "SELECT product_id, quantity FROM cart_items WHERE customer_id = $1 ORDER BY product_id",
    )
    .bind(customer_id)
    .fetch_all(&db.pool)
    .await
    .map_err(db_error)?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(OrderLine {
                product_id: r.try_get("product_id").map_err(db_error)?,
                quantity: r.try_get("quantity").map_err(db_error)?,
            })
        })
        .collect::<Result<Vec<_>, HttpError>>()?;
    Ok(Cart { items })
}

/// My cart
#[get("/cart", tags = ["cart"])]
pub async fn read_cart(db: State<Db>, Auth(c): Auth<Customer>) -> Result<Json<Cart>, HttpError> {
    cart_of(&db, c.id).await.map(Json)
}

/// Put a product in the cart
#[put("/cart/items/{product_id}", tags = ["cart"], responses(404 = HttpError))]
pub async fn put_cart_item(
    db: State<Db>,
    Auth(c): Auth<Customer>,
    #[path(ge = 1)] product_id: i64,
    body: Json<CartQuantity>,
) -> Result<Json<Cart>, HttpError> {
    crate::products::find(&db, product_id).await?;
    // One statement, so concurrent calls for the same line cannot collide (SQLite 3.24+
    // and PostgreSQL both have this upsert).
    sqlx::query(
        "INSERT INTO cart_items (customer_id, product_id, quantity) VALUES ($1, $2, $3) \
         ON CONFLICT (customer_id, product_id) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(c.id)
    .bind(product_id)
    .bind(body.quantity)
    .execute(&db.pool)
    .await
    .map_err(db_error)?;
    cart_of(&db, c.id).await.map(Json)
}

/// Take a product out of the cart
#[delete("/cart/items/{product_id}", tags = ["cart"])]
pub async fn delete_cart_item(
    db: State<Db>,
    Auth(c): Auth<Customer>,
    #[path(ge = 1)] product_id: i64,
) -> Result<Json<Cart>, HttpError> {
    sqlx::query("DELETE FROM cart_items WHERE customer_id = $1 AND product_id = $2")
        .bind(c.id)
        .bind(product_id)
        .execute(&db.pool)
        .await
        .map_err(db_error)?;
    cart_of(&db, c.id).await.map(Json)
}

/// Order what is in the cart
///
/// Places the cart as an order (409 when a product is short; the cart is then kept) and
/// empties the cart.
#[post("/cart/checkout", status = 201, tags = ["cart"], responses(409 = HttpError, 422 = HttpError))]
pub async fn checkout(db: State<Db>, Auth(c): Auth<Customer>) -> Result<Created<Order>, HttpError> {
    let cart = cart_of(&db, c.id).await?;
    if cart.items.is_empty() {
        return Err(HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The cart is empty",
        ));
    }
    let Placed::New(order) = place(&db, c.id, &cart.items, None).await? else {
        unreachable!("an order without an idempotency key is always new")
    };
    sqlx::query("DELETE FROM cart_items WHERE customer_id = $1")
        .bind(c.id)
        .execute(&db.pool)
        .await
        .map_err(db_error)?;
    Ok(Created(order))
}
