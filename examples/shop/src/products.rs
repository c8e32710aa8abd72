//! The catalogue: products and categories.

use ferrapi::error::{Loc, ValidationError, ValidationErrors};
use ferrapi::prelude::*;
use ferrapi::security::Auth;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::auth::Customer;
use crate::db::Db;
use crate::{cents, db_error, euros};

/// A product.
#[model]
#[derive(Clone, Debug)]
pub struct Product {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Unit price in euros.
    pub price: f64,
    /// Units in stock.
    pub stock: i64,
    /// Category id.
    pub category_id: Option<i64>,
}

/// The body of `POST /products`: only `name`, `price` and `stock` are required.
#[model]
pub struct NewProduct {
    /// Name.
    #[field(min_length = 1, max_length = 120, pattern = r"^[^\x00-\x1F\x7F]*$")]
    pub name: String,
    /// Description.
    #[field(max_length = 2000, pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$")]
    pub description: Option<String>,
    /// Unit price in euros: at least 0.01, in whole cents.
    #[field(ge = 0.01, le = 1000000, multiple_of = 0.01)]
    pub price: f64,
    /// Units in stock.
    #[field(ge = 0, le = 1000000)]
    pub stock: i64,
    /// Category id.
    pub category_id: Option<i64>,
}

/// The body of `PATCH /products/{id}`: the fields to change.
#[model]
pub struct ProductPatch {
    /// Name.
    #[field(min_length = 1, max_length = 120, pattern = r"^[^\x00-\x1F\x7F]*$")]
    pub name: Option<String>,
    /// Description.
    #[field(max_length = 2000, pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$")]
    pub description: Option<String>,
    /// Unit price in euros: at least 0.01, in whole cents.
    #[field(ge = 0.01, le = 1000000, multiple_of = 0.01)]
    pub price: Option<f64>,
    /// Units in stock.
    #[field(ge = 0, le = 1000000)]
    pub stock: Option<i64>,
    /// Category id.
    pub category_id: Option<i64>,
}

/// One page of products.
#[model]
pub struct ProductPage {
    /// The products.
    pub items: Vec<Product>,
    /// How many products match.
    pub total: i64,
    /// The page size asked for.
    pub limit: i64,
    /// The offset asked for.
    pub offset: i64,
}

/// Sort orders for the product list.
#[derive(Clone, Copy, Debug, PartialEq, ParamEnum)]
pub enum Sort {
    /// By name, A to Z.
    #[param(rename = "name")]
    Name,
    /// By name, Z to A.
    #[param(rename = "-name")]
    NameDesc,
    /// Cheapest first.
    #[param(rename = "price")]
    Price,
    /// Dearest first.
    #[param(rename = "-price")]
    PriceDesc,
    /// Newest first.
    #[param(rename = "newest")]
    Newest,
}

impl Sort {
    fn sql(self) -> &'static str {
        match self {
            Sort::Name => "name ASC, id ASC",
            Sort::NameDesc => "name DESC, id ASC",
            Sort::Price => "price_cents ASC, id ASC",
            Sort::PriceDesc => "price_cents DESC, id ASC",
            Sort::Newest => "id DESC",
        }
    }
}

/// A category.
#[model]
pub struct Category {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// The body of `POST /categories`.
#[model]
pub struct NewCategory {
    /// Name.
    #[field(min_length = 1, max_length = 60)]
    pub name: String,
}

pub(crate) fn product(row: &AnyRow) -> Result<Product, HttpError> {
    Ok(Product {
        id: row.try_get("id").map_err(db_error)?,
        name: row.try_get("name").map_err(db_error)?,
        description: row.try_get("description").map_err(db_error)?,
        price: euros(row.try_get("price_cents").map_err(db_error)?),
        stock: row.try_get("stock").map_err(db_error)?,
        category_id: row.try_get("category_id").map_err(db_error)?,
    })
}

const COLUMNS: &str = "id, name, description, price_cents, stock, category_id";

pub(crate) async fn find(db: &Db, id: i64) -> Result<Product, HttpError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
        .map_err(db_error)?
        .ok_or_else(|| HttpError::not_found("Product not found"))?;
    product(&row)
}

async fn check_category(db: &Db, category_id: Option<i64>) -> Result<(), HttpError> {
    if let Some(c) = category_id {
        let found = sqlx::query("SELECT id FROM categories WHERE id = $1")
            .bind(c)
            .fetch_optional(&db.pool)
            .await
            .map_err(db_error)?;
        if found.is_none() {
            // A validation error like the framework's, located at the field.
            return Err(ValidationErrors::from(ValidationError::new(
                "value_error",
                Loc::body().join("category_id"),
                "Value error, Unknown category",
                c.into(),
            ))
            .into());
        }
    }
    Ok(())
}

/// List products
///
/// Paginated, with a text search in names and descriptions, a category filter and a
/// sort order.
#[get("/products", tags = ["products"])]
pub async fn list_products(
    db: State<Db>,
    #[query(default = 20, ge = 1, le = 100)] limit: i64,
    #[query(default = 0, ge = 0)] offset: i64,
    #[query(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F]*$",
        description = "Text to look for in names and descriptions (no control characters)"
    )]
    q: Option<String>,
    #[query(ge = 1)] category: Option<i64>,
    #[query(default = Sort::Name)] sort: Sort,
) -> Result<Json<ProductPage>, HttpError> {
    // Placeholders are numbered in the order they appear (SQLite binds them that way).
    let like = q.map(|q| {
        format!(
            "%{}%",
            q.to_lowercase().replace('%', "\\%").replace('_', "\\_")
        )
    });
    let mut filter = String::from("WHERE 1 = 1");
    let mut n = 0;
    if like.is_some() {
        n += 1;
        filter.push_str(&format!(" AND (LOWER(name) LIKE ${n} ESCAPE '\\' OR LOWER(COALESCE(description, '')) LIKE ${n} ESCAPE '\\')"));
    }
    if category.is_some() {
        n += 1;
        filter.push_str(&format!(" AND category_id = ${n}"));
    }
    let count_sql = format!("SELECT COUNT(*) AS n FROM products {filter}");
    let list_sql = format!(
        "SELECT {COLUMNS} FROM products {filter} ORDER BY {} LIMIT ${} OFFSET ${}",
        sort.sql(),
        n + 1,
        n + 2
    );
    let mut count = sqlx::query(&count_sql);
    let mut list = sqlx::query(&list_sql);
    if let Some(l) = &like {
        count = count.bind(l.clone());
        list = list.bind(l.clone());
    }
    if let Some(c) = category {
        count = count.bind(c);
        list = list.bind(c);
    }
    let total: i64 = count
        .fetch_one(&db.pool)
        .await
        .map_err(db_error)?
        .try_get("n")
        .map_err(db_error)?;
    let rows = list
        .bind(limit)
        .bind(offset)
        .fetch_all(&db.pool)
        .await
        .map_err(db_error)?;
    let items = rows.iter().map(product).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(ProductPage {
        items,
        total,
        limit,
        offset,
    }))
}

/// Read a product
#[get("/products/{id}", tags = ["products"], responses(404 = HttpError))]
pub async fn read_product(
    db: State<Db>,
    #[path(ge = 1)] id: i64,
) -> Result<Json<Product>, HttpError> {
    find(&db, id).await.map(Json)
}

/// Create a product
#[post("/products", status = 201, tags = ["products"], scopes = ["admin"])]
pub async fn create_product(
    db: State<Db>,
    _admin: Auth<Customer>,
    body: Json<NewProduct>,
) -> Result<Created<Product>, HttpError> {
    let p = body.0;
    check_category(&db, p.category_id).await?;
    let row = sqlx::query("INSERT INTO products (name, description, price_cents, stock, category_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(&p.name)
        .bind(p.description.clone())
        .bind(cents(p.price))
        .bind(p.stock)
        .bind(p.category_id)
        .bind(chrono::Utc::now().to_rfc3339())
        .fetch_one(&db.pool)
        .await
        .map_err(db_error)?;
    let id: i64 = row.try_get("id").map_err(db_error)?;
    find(&db, id).await.map(Created)
}

/// Change a product
#[patch("/products/{id}", tags = ["products"], scopes = ["admin"], responses(404 = HttpError))]
pub async fn update_product(
    db: State<Db>,
    _admin: Auth<Customer>,
    #[path(ge = 1)] id: i64,
    body: Json<ProductPatch>,
) -> Result<Json<Product>, HttpError> {
    let current = find(&db, id).await?;
    let p = body.0;
    check_category(&db, p.category_id).await?;
    sqlx::query("UPDATE products SET name = $1, description = $2, price_cents = $3, stock = $4, category_id = $5 WHERE id = $6")
        .bind(p.name.unwrap_or(current.name))
        .bind(p.description.or(current.description))
        .bind(p.price.map(cents).unwrap_or(cents(current.price)))
        .bind(p.stock.unwrap_or(current.stock))
        .bind(p.category_id.or(current.category_id))
        .bind(id)
        .execute(&db.pool)
        .await
        .map_err(db_error)?;
    find(&db, id).await.map(Json)
}

/// Delete a product
///
/// Products that were ordered cannot be deleted (409); set their stock to 0 instead.
#[delete("/products/{id}", tags = ["products"], scopes = ["admin"], responses(404 = HttpError, 409 = HttpError))]
pub async fn delete_product(
    db: State<Db>,
    _admin: Auth<Customer>,
    #[path(ge = 1)] id: i64,
) -> Result<NoContent, HttpError> {
    find(&db, id).await?;
    let ordered = sqlx::query("SELECT id FROM order_items WHERE product_id = $1 LIMIT 1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
        .map_err(db_error)?;
    if ordered.is_some() {
        return Err(HttpError::conflict(
            "Product has orders; set its stock to 0 instead",
        ));
    }
    sqlx::query("DELETE FROM cart_items WHERE product_id = $1")
        .bind(id)
        .execute(&db.pool)
        .await
        .map_err(db_error)?;
    sqlx::query("DELETE FROM products WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await
        .map_err(db_error)?;
    Ok(NoContent)
}

/// List categories
#[get("/categories", tags = ["categories"])]
pub async fn list_categories(db: State<Db>) -> Result<Json<Vec<Category>>, HttpError> {
    let rows = sqlx::query("SELECT id, name FROM categories ORDER BY name")
        .fetch_all(&db.pool)
        .await
        .map_err(db_error)?;
    rows.iter()
        .map(|r| {
            Ok(Category {
                id: r.try_get("id").map_err(db_error)?,
                name: r.try_get("name").map_err(db_error)?,
            })
        })
        .collect::<Result<Vec<_>, HttpError>>()
        .map(Json)
}

/// Create a category
#[post("/categories", status = 201, tags = ["categories"], scopes = ["admin"], responses(409 = HttpError))]
pub async fn create_category(
    db: State<Db>,
    _admin: Auth<Customer>,
    body: Json<NewCategory>,
) -> Result<Created<Category>, HttpError> {
    let exists = sqlx::query("SELECT id FROM categories WHERE name = $1")
        .bind(&body.name)
        .fetch_optional(&db.pool)
        .await
        .map_err(db_error)?;
    if exists.is_some() {
        return Err(HttpError::conflict("Category exists"));
    }
    let row = sqlx::query("INSERT INTO categories (name) VALUES ($1) RETURNING id")
        .bind(&body.name)
        .fetch_one(&db.pool)
        .await
        .map_err(db_error)?;
    Ok(Created(Category {
        id: row.try_get("id").map_err(db_error)?,
        name: body.0.name,
    }))
}
