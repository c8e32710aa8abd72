//! `realtime::Channels` on PostgreSQL LISTEN/NOTIFY, between "instances" (separate
//! `Channels` values with their own connections), against the server `CHANNELS_POSTGRES_URL`
//! names (CI starts one with `.ci/postgres.sh`). Without the variable the tests say so and
//! pass, unless `FERRAPI_REQUIRE_POSTGRES=1` makes that a failure.

use std::time::Duration;

use ferrapi::realtime::{ChannelError, Channels, Gap, Subscription};
use serde_json::json;
use sqlx::Connection;
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(10);

fn url() -> Option<String> {
    match std::env::var("CHANNELS_POSTGRES_URL") {
        Ok(u) => Some(u),
        Err(_) => {
            assert!(
                std::env::var("FERRAPI_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "CHANNELS_POSTGRES_URL is required (FERRAPI_REQUIRE_POSTGRES=1)"
            );
            eprintln!("skipped: set CHANNELS_POSTGRES_URL=postgres://... to run");
            None
        }
    }
}

async fn next<T: serde::de::DeserializeOwned>(sub: &mut Subscription<T>) -> Option<Result<T, Gap>> {
    timeout(WAIT, sub.recv())
        .await
        .expect("a message within 10 s")
}

#[tokio::test]
async fn postgres_carries_messages_between_instances() {
    let Some(url) = url() else { return };
    let a = Channels::builder().postgres(&url).unwrap();
    let b = Channels::builder().from_url(&url).unwrap();
    assert_eq!(b.backend(), "postgres");
    // Upper case, dots and colons survive quoting; names are case-sensitive.
    let mut on_b = b
        .subscribe::<serde_json::Value>("Room:lobby.1")
        .await
        .unwrap();
    let mut on_a = a
        .subscribe::<serde_json::Value>("Room:lobby.1")
        .await
        .unwrap();
    let mut lower = b
        .subscribe::<serde_json::Value>("room:lobby.1")
        .await
        .unwrap();
    for i in 0..20 {
        a.publish("Room:lobby.1", &json!({"i": i, "text": "é\"'"}))
            .await
            .unwrap();
    }
    b.publish("room:lobby.1", &json!("lower")).await.unwrap();
    for sub in [&mut on_a, &mut on_b] {
        for i in 0..20 {
            assert_eq!(next(sub).await, Some(Ok(json!({"i": i, "text": "é\"'"}))));
        }
    }
    assert_eq!(next(&mut lower).await, Some(Ok(json!("lower"))));
    // NOTIFY's payload limit is the backend's message limit.
    let err = a.publish("x", &"z".repeat(8_000)).await.unwrap_err();
    assert!(
        matches!(err, ChannelError::TooLarge { limit: 7_999, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_killed_listener_connection_is_reopened_and_subscribers_are_told() {
    let Some(url) = url() else { return };
    let a = Channels::builder().postgres(&url).unwrap();
    let b = Channels::builder().postgres(&url).unwrap();
    let mut sub = b.subscribe::<u32>("kill_test").await.unwrap();
    a.publish("kill_test", &1u32).await.unwrap();
    assert_eq!(next(&mut sub).await, Some(Ok(1)));
    // An administrator (or a failover) ends every listening session.
    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    let killed: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert!(!killed.is_empty(), "no listening session found");
    assert_eq!(next(&mut sub).await, Some(Err(Gap::Interrupted)));
    a.publish("kill_test", &2u32).await.unwrap();
    assert_eq!(next(&mut sub).await, Some(Ok(2)));
}

#[tokio::test]
async fn an_unreachable_database_is_an_error_not_a_hang() {
    if url().is_none() {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let channels = Channels::builder()
        .postgres(&format!("postgres://postgres@127.0.0.1:{port}/x"))
        .unwrap();
    let err = timeout(WAIT * 2, channels.subscribe::<u32>("c"))
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, ChannelError::Unavailable(_)), "{err:?}");
    let err = timeout(WAIT * 2, channels.publish("c", &1))
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, ChannelError::Unavailable(_)), "{err:?}");
}
