//! `realtime::Channels`: in memory, and across "instances" (separate `Channels` values, each
//! with its own broker connection, as separate processes have) through a real Redis server
//! this test starts on 127.0.0.1 (`redis-server` from Debian's `redis-server` package).
//!
//! Without `redis-server` the Redis tests say so and pass, unless `FERRAPI_REQUIRE_REDIS=1`
//! (CI sets it) makes that a failure. The PostgreSQL backend's tests are in
//! `channels_postgres.rs`.

use std::time::Duration;

use ferrapi::prelude::*;
use ferrapi::realtime::{ChannelError, Channels, EventStream, Gap, Subscription};
use ferrapi::testing::TestClient;
use ferrapi_tests::redis::{free_port, Redis};
use futures_util::StreamExt;
use serde_json::json;
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(10);

async fn next<T: serde::de::DeserializeOwned>(sub: &mut Subscription<T>) -> Option<Result<T, Gap>> {
    timeout(WAIT, sub.recv())
        .await
        .expect("a message within 10 s")
}

#[tokio::test]
async fn memory_delivers_to_every_subscriber_in_order() {
    let channels = Channels::memory();
    let mut a = channels.subscribe::<u32>("numbers").await.unwrap();
    let mut b = channels.subscribe::<u32>("numbers").await.unwrap();
    let mut other = channels.subscribe::<u32>("other").await.unwrap();
    for n in 0..5u32 {
        channels.publish("numbers", &n).await.unwrap();
    }
    channels.publish("other", &99u32).await.unwrap();
    for sub in [&mut a, &mut b] {
        for n in 0..5u32 {
            assert_eq!(next(sub).await, Some(Ok(n)));
        }
    }
    assert_eq!(next(&mut other).await, Some(Ok(99)));
    assert_eq!(channels.backend(), "memory");
}

#[tokio::test]
async fn a_slow_subscriber_is_told_how_many_it_missed_and_others_are_not_held_up() {
    let channels = Channels::builder().capacity(4).memory();
    let mut slow = channels.subscribe::<u32>("c").await.unwrap();
    let mut fast = channels.subscribe::<u32>("c").await.unwrap();
    for n in 0..3u32 {
        channels.publish("c", &n).await.unwrap();
        assert_eq!(next(&mut fast).await, Some(Ok(n)));
    }
    // Publishing never waits for the slow one: 10,000 more, memory stays at 4 per channel.
    for n in 3..10_003u32 {
        channels.publish("c", &n).await.unwrap();
    }
    assert_eq!(
        next(&mut slow).await,
        Some(Err(Gap::Lagged { missed: 9_999 }))
    );
    for n in 9_999..10_003u32 {
        assert_eq!(next(&mut slow).await, Some(Ok(n)));
    }
}

#[tokio::test]
async fn a_message_of_another_shape_is_skipped_with_a_gap() {
    let channels = Channels::memory();
    let mut sub = channels.subscribe::<u32>("c").await.unwrap();
    channels.publish("c", "not a number").await.unwrap();
    channels.publish("c", &7u32).await.unwrap();
    assert!(matches!(
        next(&mut sub).await,
        Some(Err(Gap::Undecodable { .. }))
    ));
    assert_eq!(next(&mut sub).await, Some(Ok(7)));
}

#[tokio::test]
async fn hostile_names_and_sizes_are_refused_and_the_channels_keep_working() {
    let channels = Channels::builder().max_message_bytes(1024).memory();
    for name in ["", "a\u{0}b", "line\nbreak"] {
        assert!(matches!(
            channels.publish(name, &1).await,
            Err(ChannelError::InvalidName(_))
        ));
        assert!(matches!(
            channels.subscribe::<u32>(name).await,
            Err(ChannelError::InvalidName(_))
        ));
    }
    let long = "x".repeat(64);
    assert!(matches!(
        channels.subscribe::<u32>(&long).await,
        Err(ChannelError::InvalidName(_))
    ));
    let big = "y".repeat(2000);
    let err = channels.publish("c", &big).await.unwrap_err();
    assert_eq!(
        err,
        ChannelError::TooLarge {
            size: 2002,
            limit: 1024
        }
    );
    assert_eq!(
        err.to_string(),
        "message of 2002 bytes is over the 1024-byte limit"
    );
    let mut sub = channels.subscribe::<String>("c").await.unwrap();
    channels.publish("c", "ok").await.unwrap();
    assert_eq!(next(&mut sub).await, Some(Ok("ok".to_string())));
}

#[tokio::test]
async fn close_ends_subscriptions_and_refuses_new_work() {
    let channels = Channels::memory();
    let mut sub = channels.subscribe::<u32>("c").await.unwrap();
    let waiting = tokio::spawn(async move { sub.recv().await });
    tokio::time::sleep(Duration::from_millis(20)).await;
    channels.close();
    assert_eq!(timeout(WAIT, waiting).await.unwrap().unwrap(), None);
    assert_eq!(channels.publish("c", &1).await, Err(ChannelError::Closed));
    assert!(matches!(
        channels.subscribe::<u32>("c").await,
        Err(ChannelError::Closed)
    ));
}

/// In memory a channel nobody subscribes to cannot be heard (a hot path may skip building
/// its message); with a broker, other instances might listen, so it always may.
#[tokio::test]
async fn may_be_heard_follows_the_local_subscribers_in_memory() {
    let channels = Channels::memory();
    assert!(!channels.may_be_heard("c"));
    let sub = channels.subscribe::<u32>("c").await.unwrap();
    assert!(channels.may_be_heard("c"));
    assert!(!channels.may_be_heard("other"));
    drop(sub);
    assert!(!channels.may_be_heard("c"));
    let broker = Channels::builder().redis("redis://127.0.0.1:1/").unwrap();
    assert!(broker.may_be_heard("c"));
}

#[tokio::test]
async fn many_short_subscriptions_leave_nothing_behind() {
    let channels = Channels::memory();
    for i in 0..2_000 {
        let name = format!("room-{i}");
        let sub = channels.subscribe::<u32>(&name).await.unwrap();
        drop(sub);
    }
    // Nobody listens: publishing to a forgotten channel is a no-op, not an error.
    channels.publish("room-1", &1).await.unwrap();
    let mut sub = channels.subscribe::<u32>("room-1").await.unwrap();
    channels.publish("room-1", &2).await.unwrap();
    assert_eq!(next(&mut sub).await, Some(Ok(2)));
}

#[model]
#[derive(Clone)]
struct Tick {
    n: u32,
}

#[post("/ticks/{n}")]
async fn publish_tick(n: u32, channels: State<Channels>) -> Result<(), HttpError> {
    channels
        .publish("ticks", &Tick { n })
        .await
        .map_err(|e| HttpError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))
}

#[get("/ticks")]
async fn ticks(channels: State<Channels>) -> Result<EventStream<Tick>, HttpError> {
    let sub = channels
        .subscribe::<Tick>("ticks")
        .await
        .map_err(|e| HttpError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
    Ok(EventStream::new(
        sub.into_stream().filter_map(|m| async move { m.ok() }),
    ))
}

#[tokio::test]
async fn an_event_stream_fed_by_a_channel_ends_when_the_server_stops() {
    let channels = Channels::memory();
    let app = App::new()
        .channels(channels.clone())
        .shutdown_timeout(Duration::from_secs(30))
        .routes(routes![publish_tick, ticks]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve_on(listener, async move {
        let _ = stopped.await;
    }));
    // A raw keep-alive client reading the stream.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /ticks HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    // The subscription exists once the headers arrived.
    let n = timeout(WAIT, stream.read(&mut buf)).await.unwrap().unwrap();
    seen.extend_from_slice(&buf[..n]);
    let client = TestClient::new(
        App::new()
            .state(channels.clone())
            .routes(routes![publish_tick]),
    );
    assert_eq!(client.post("/ticks/5").send().await.status(), 200);
    while !String::from_utf8_lossy(&seen).contains("{\"n\":5}") {
        let n = timeout(WAIT, stream.read(&mut buf)).await.unwrap().unwrap();
        assert!(n > 0, "stream ended early");
        seen.extend_from_slice(&buf[..n]);
    }
    let started = std::time::Instant::now();
    stop.send(()).unwrap();
    // The stream ends (the subscription closed), so the server stops long before its 30 s
    // shutdown timeout.
    timeout(WAIT, server).await.unwrap().unwrap().unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
}

// Redis ------------------------------------------------------------------------------------

#[tokio::test]
async fn redis_carries_messages_between_instances() {
    let Some(redis) = Redis::start() else { return };
    // Three instances: each its own Channels, its own connections.
    let a = Channels::builder().redis(&redis.url()).unwrap();
    let b = Channels::builder().redis(&redis.url()).unwrap();
    let c = Channels::builder().redis(&redis.url()).unwrap();
    assert_eq!(a.backend(), "redis");
    let mut on_b = b
        .subscribe::<serde_json::Value>("room:lobby")
        .await
        .unwrap();
    let mut on_c = c
        .subscribe::<serde_json::Value>("room:lobby")
        .await
        .unwrap();
    let mut on_a = a
        .subscribe::<serde_json::Value>("room:lobby")
        .await
        .unwrap();
    let mut elsewhere = c
        .subscribe::<serde_json::Value>("room:other")
        .await
        .unwrap();
    for i in 0..50 {
        a.publish("room:lobby", &json!({"from": "a", "i": i}))
            .await
            .unwrap();
    }
    b.publish("room:other", &json!("hi")).await.unwrap();
    for sub in [&mut on_a, &mut on_b, &mut on_c] {
        for i in 0..50 {
            assert_eq!(next(sub).await, Some(Ok(json!({"from": "a", "i": i}))));
        }
    }
    assert_eq!(next(&mut elsewhere).await, Some(Ok(json!("hi"))));
    // Dropping the last local subscriber unsubscribes this instance from Redis.
    drop(on_c);
    drop(elsewhere);
    let mut unsubscribed = false;
    for _ in 0..100 {
        let answer = redis
            .command("PUBSUB NUMSUB room:other")
            .unwrap_or_default();
        if answer.contains("room:other\r\n:0") {
            unsubscribed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(unsubscribed, "c still subscribed to room:other");
}

#[tokio::test]
async fn a_lost_redis_connection_is_retried_and_subscribers_are_told() {
    let Some(redis) = Redis::start() else { return };
    let a = Channels::builder().redis(&redis.url()).unwrap();
    let b = Channels::builder().redis(&redis.url()).unwrap();
    let mut sub = b.subscribe::<u32>("c").await.unwrap();
    a.publish("c", &1u32).await.unwrap();
    assert_eq!(next(&mut sub).await, Some(Ok(1)));
    // The server drops every subscriber connection.
    assert!(redis
        .command("CLIENT KILL TYPE pubsub")
        .is_some_and(|r| r.starts_with(':')));
    assert_eq!(next(&mut sub).await, Some(Err(Gap::Interrupted)));
    // Subscribed again: new messages arrive.
    a.publish("c", &2u32).await.unwrap();
    assert_eq!(next(&mut sub).await, Some(Ok(2)));

    // The whole server goes away: publishing and subscribing fail fast and clearly...
    let port = redis.stop();
    let err = timeout(WAIT, a.publish("c", &3u32))
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, ChannelError::Unavailable(_)), "{err:?}");
    let err = timeout(WAIT, b.subscribe::<u32>("d"))
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, ChannelError::Unavailable(_)), "{err:?}");
    // ...and when it is back on the same address, the subscription resumes.
    let _redis = Redis::start_on(port).expect("restart");
    assert_eq!(next(&mut sub).await, Some(Err(Gap::Interrupted)));
    let mut delivered = false;
    for _ in 0..50 {
        if a.publish("c", &4u32).await.is_ok() {
            delivered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(delivered, "publishing did not recover");
    assert_eq!(next(&mut sub).await, Some(Ok(4)));
}

#[tokio::test]
async fn an_unreachable_redis_is_an_error_not_a_hang() {
    let port = free_port();
    let channels = Channels::builder()
        .redis(&format!("redis://127.0.0.1:{port}/"))
        .unwrap();
    let err = timeout(WAIT, channels.subscribe::<u32>("c"))
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, ChannelError::Unavailable(_)), "{err:?}");
    let err = timeout(WAIT, channels.publish("c", &1))
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, ChannelError::Unavailable(_)), "{err:?}");
    assert!(matches!(
        Channels::builder().from_url("redis://[bad"),
        Err(ChannelError::Config(_))
    ));
}

#[tokio::test]
async fn a_flood_through_redis_reaches_a_slow_subscriber_as_a_counted_gap() {
    let Some(redis) = Redis::start() else { return };
    let a = Channels::builder().redis(&redis.url()).unwrap();
    let b = Channels::builder()
        .capacity(16)
        .redis(&redis.url())
        .unwrap();
    let mut slow = b.subscribe::<u32>("flood").await.unwrap();
    let mut fast = b.subscribe::<u32>("flood").await.unwrap();
    let reader = tokio::spawn(async move {
        let mut last = None;
        while let Some(m) = timeout(WAIT, fast.recv()).await.unwrap() {
            if let Ok(n) = m {
                last = Some(n);
                if n == 4_999 {
                    break;
                }
            }
        }
        last
    });
    for n in 0..5_000u32 {
        a.publish("flood", &n).await.unwrap();
    }
    assert_eq!(timeout(WAIT, reader).await.unwrap().unwrap(), Some(4_999));
    // The slow one kept at most 16: a gap, then the most recent messages.
    match next(&mut slow).await {
        Some(Err(Gap::Lagged { missed })) => assert!(missed >= 5_000 - 16, "{missed}"),
        other => panic!("expected a gap, got {other:?}"),
    }
}

/// Every subscriber of a channel waits for the broker's answer, not only the first one:
/// with the broker down, concurrent subscribers all fail; with it up, all of them receive
/// a message published as soon as they returned.
#[tokio::test]
async fn concurrent_subscribers_all_wait_for_the_broker() {
    let Some(redis) = Redis::start() else { return };
    let url = redis.url();
    let up = Channels::builder().redis(&url).unwrap();
    let publisher = Channels::builder().redis(&url).unwrap();
    let (a, b, c) = tokio::join!(
        up.subscribe::<u32>("together"),
        up.subscribe::<u32>("together"),
        up.subscribe::<u32>("together"),
    );
    let mut subs = [a.unwrap(), b.unwrap(), c.unwrap()];
    publisher.publish("together", &7u32).await.unwrap();
    for sub in &mut subs {
        assert_eq!(next(sub).await, Some(Ok(7)));
    }
    drop(subs);

    redis.stop();
    let down = Channels::builder().redis(&url).unwrap();
    let (a, b) = tokio::join!(
        down.subscribe::<u32>("together"),
        down.subscribe::<u32>("together"),
    );
    assert!(matches!(a, Err(ChannelError::Unavailable(_))), "{a:?}");
    assert!(matches!(b, Err(ChannelError::Unavailable(_))), "{b:?}");
}
