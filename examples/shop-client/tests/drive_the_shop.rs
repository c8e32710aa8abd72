//! The progenitor-generated client against the running shop, over a real socket on
//! 127.0.0.1: log in, list products, order, read the order back, and the typed errors.

use shop_client::{types, Client, Error};

fn database() -> (String, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("ferrapi-shop-client-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    (format!("sqlite://{}", dir.join("shop.db").display()), dir)
}

/// A reqwest client sending `Authorization: Bearer <token>`: the generated client takes
/// any reqwest client, which is how it carries credentials.
fn authorized(base: &str, token: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = format!("Bearer {token}").parse().unwrap();
    headers.insert(reqwest::header::AUTHORIZATION, value);
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    Client::new_with_client(base, http)
}

fn login_form(username: &str, password: &str) -> types::OAuth2PasswordRequestForm {
    types::OAuth2PasswordRequestForm {
        client_id: None,
        client_secret: None,
        grant_type: None,
        password: password.into(),
        scope: String::new(),
        username: username.into(),
    }
}

#[test]
fn log_in_list_order_and_read_it_back() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (url, dir) = database();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(shop::app_with(url).serve_on(listener, async {
            let _ = stopped.await;
        }));
        let anonymous = Client::new(&base);
        // The server is up once the catalogue answers.
        let mut page = None;
        for _ in 0..100 {
            match anonymous.list_products(None, None, None, None, None).await {
                Ok(p) => {
                    page = Some(p.into_inner());
                    break;
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
        let page = page.expect("the shop answered");
        assert!(page.total > 0 && !page.items.is_empty());

        // A wrong password is the documented 401, typed as HTTPError.
        match anonymous.login(&login_form("alice", "nope")).await {
            Err(Error::ErrorResponse(e)) => {
                assert_eq!(e.status(), 401);
                assert!(matches!(e.into_inner().detail, types::Detail::String(_)));
            }
            other => panic!("expected a 401, got {other:?}"),
        }
        let token = anonymous
            .login(&login_form("alice", "wonderland"))
            .await
            .expect("alice logs in")
            .into_inner();
        assert_eq!(token.token_type, "bearer");
        let alice = authorized(&base, &token.access_token);

        // Order the cheapest product that is in stock, then read the order back.
        let product = page
            .items
            .iter()
            .find(|p| p.stock > 0)
            .expect("a product in stock");
        let line = types::OrderLine {
            product_id: std::num::NonZeroU64::new(product.id as u64).unwrap(),
            quantity: std::num::NonZeroU64::new(1).unwrap(),
        };
        // With an idempotency key, typed by the generator from the header's constraints: a
        // retry gives the same order.
        let key: types::IdempotencyKey = "drive-the-shop-1".parse().expect("a valid key");
        let new_order = types::NewOrder { items: vec![line] };
        let order = alice
            .create_order(Some(&key), &new_order)
            .await
            .expect("the order is placed");
        assert_eq!(order.status(), 201);
        let order = order.into_inner();
        let retried = alice
            .create_order(Some(&key), &new_order)
            .await
            .expect("the retry answers")
            .into_inner();
        assert_eq!(retried.id, order.id);
        assert!("with space".parse::<types::IdempotencyKey>().is_err());
        assert_eq!(order.items.len(), 1);
        let read = alice
            .read_order(std::num::NonZeroU64::new(order.id as u64).unwrap())
            .await
            .expect("the order reads back")
            .into_inner();
        assert_eq!(read.id, order.id);
        assert_eq!(read.total, order.total);

        // Without a token, the 401 every secured operation documents.
        match anonymous
            .read_order(std::num::NonZeroU64::new(order.id as u64).unwrap())
            .await
        {
            Err(Error::ErrorResponse(e)) => assert_eq!(e.status(), 401),
            other => panic!("expected a 401, got {other:?}"),
        }
        // An order of nothing: the 422, typed as HTTPError with the validation errors.
        match alice
            .create_order(None, &types::NewOrder { items: vec![] })
            .await
        {
            Err(Error::ErrorResponse(e)) => {
                assert_eq!(e.status(), 422);
                match e.into_inner().detail {
                    types::Detail::Array(errors) => {
                        assert_eq!(errors[0].loc.len(), 2);
                    }
                    other => panic!("expected validation errors, got {other:?}"),
                }
            }
            other => panic!("expected a 422, got {other:?}"),
        }

        let _ = stop.send(());
        server.await.unwrap().unwrap();
        let _ = std::fs::remove_dir_all(dir);
    });
}
