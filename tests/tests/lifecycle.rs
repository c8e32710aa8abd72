//! Background tasks, dependency teardown and lifespan hooks.

use std::sync::{Arc, Mutex};

use ferrapi::background::{BackgroundTasks, Teardown};
use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::json;

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn push(&self, s: impl Into<String>) {
        self.0.lock().unwrap().push(s.into());
    }
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

#[derive(Clone)]
struct Tx(Log);

#[dependency]
async fn tx(log: State<Log>, teardown: Teardown, tasks: BackgroundTasks) -> Tx {
    log.push("begin");
    let l = log.0.clone();
    tasks.add(async move { l.push("task from dependency") });
    let l = log.0.clone();
    teardown.defer(move |status| async move {
        l.push(if status.is_success() {
            "commit"
        } else {
            "rollback"
        });
    });
    Tx(log.0.clone())
}

#[post("/orders")]
async fn order(
    tx: Tx,
    tasks: BackgroundTasks,
    #[query(default = false)] fail: bool,
) -> Result<Json<&'static str>, HttpError> {
    tx.0.push("handler");
    let l = tx.0.clone();
    tasks.add(async move {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        l.push("email sent");
    });
    if fail {
        return Err(HttpError::conflict("out of stock"));
    }
    Ok(Json("ok"))
}

#[get("/panicky")]
async fn panicky(tasks: BackgroundTasks, log: State<Log>) -> String {
    tasks.add(async { panic!("task exploded") });
    let l = log.0.clone();
    tasks.add(async move { l.push("after the panic") });
    "ok".into()
}

#[test]
fn tasks_and_teardown_run_after_the_response_in_order() {
    block_on(async {
        let log = Log::default();
        let c = TestClient::new(
            App::new()
                .state(log.clone())
                .routes(routes![order, panicky]),
        );
        let res = c.post("/orders").send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            log.take(),
            [
                "begin",
                "handler",
                "task from dependency",
                "commit",
                "email sent"
            ]
        );
        let res = c.post("/orders?fail=true").send().await;
        assert_eq!(res.status(), 409);
        assert_eq!(
            log.take(),
            [
                "begin",
                "handler",
                "task from dependency",
                "rollback",
                "email sent"
            ]
        );
        let res = c.get("/panicky").send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            log.take(),
            ["after the panic"],
            "a failing task does not stop the next"
        );
    });
}

#[test]
fn the_response_does_not_wait_for_background_work() {
    block_on(async {
        let log = Log::default();
        let app = App::new().state(log.clone()).routes(routes![order]);
        let tracker = app.background();
        let c = TestClient::from_router(app.into_router());
        c.post("/orders").send().await;
        let mut seen = log.take();
        assert!(
            !seen.contains(&"email sent".to_string()),
            "answered before the slow task ran: {seen:?}"
        );
        assert!(tracker.wait_idle(std::time::Duration::from_secs(5)).await);
        seen.extend(log.take());
        assert_eq!(
            seen,
            [
                "begin",
                "handler",
                "task from dependency",
                "commit",
                "email sent"
            ]
        );
    });
}

#[derive(Clone)]
struct Model(Vec<f32>);

#[get("/model")]
async fn model(m: State<Model>) -> Json<Vec<f32>> {
    Json(m.0 .0.clone())
}

#[test]
fn startup_hooks_provide_state_and_failures_are_reported() {
    block_on(async {
        let app = App::new()
            .startup(|| async { Ok::<_, String>(Model(vec![1.0, 2.0])) })
            .routes(routes![model]);
        assert!(
            app.openapi_value().is_ok(),
            "state from a start-up hook counts as registered"
        );
        let c = TestClient::start(app).await.unwrap();
        assert_eq!(c.get("/model").send().await.json_value(), json!([1.0, 2.0]));

        let err = match TestClient::start(
            App::new()
                .startup(|| async { Err::<Model, _>("weights file missing") })
                .routes(routes![model]),
        )
        .await
        {
            Err(e) => e,
            Ok(_) => panic!("start-up should fail"),
        };
        assert!(err.0.contains("weights file missing"), "{err}");
        assert!(err.0.contains("Model"), "{err}");
    });
}

#[test]
fn serve_runs_hooks_and_shuts_down_gracefully() {
    block_on(async {
        let log = Log::default();
        let l = log.clone();
        let app = App::new()
            .state(log.clone())
            .startup(|| async { Ok::<_, String>(Model(vec![])) })
            .on_shutdown(move || async move { l.push("shutdown hook") })
            .routes(routes![order]);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.serve_on(listener, async {
            let _ = stop_rx.await;
        }));
        // One request over a real socket, then shut down: its background work finishes first.
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        s.write_all(
            b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.unwrap();
        assert!(String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 200"));
        stop_tx.send(()).unwrap();
        server.await.unwrap().unwrap();
        let events = log.take();
        assert!(events.contains(&"email sent".to_string()), "{events:?}");
        assert_eq!(events.last().map(String::as_str), Some("shutdown hook"));
    });
}

#[get("/forever")]
async fn forever() -> ferrapi::realtime::EventStream<u64> {
    ferrapi::realtime::EventStream::new(futures_util::stream::pending())
}

#[test]
fn shutdown_is_bounded_with_a_streaming_client_connected() {
    block_on(async {
        let app = App::new()
            .shutdown_timeout(std::time::Duration::from_millis(300))
            .routes(routes![forever]);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.serve_on(listener, async {
            let _ = stop_rx.await;
        }));
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /forever HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 64];
        let n = s.read(&mut buf).await.unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        let started = std::time::Instant::now();
        stop_tx.send(()).unwrap();
        tokio::time::timeout(std::time::Duration::from_secs(5), server)
            .await
            .expect("bounded shutdown")
            .unwrap()
            .unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    });
}

#[get("/slow")]
async fn slow_request() -> String {
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    "finished".into()
}

#[test]
fn in_flight_requests_finish_during_graceful_shutdown() {
    block_on(async {
        let app = App::new().routes(routes![slow_request]);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.serve_on(listener, async {
            let _ = stop_rx.await;
        }));
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        // Ask for shutdown while the request is being handled.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        stop_tx.send(()).unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.unwrap();
        let text = String::from_utf8_lossy(&buf);
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        assert!(text.ends_with("\"finished\""), "{text}");
        server.await.unwrap().unwrap();
        // New connections are refused once it stopped.
        assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    });
}

/// One HTTP/1.1 request on a new connection; the status line and the body.
async fn get_once(addr: std::net::SocketAddr, path: &str) -> std::io::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

#[test]
fn on_shutdown_the_app_drains_first_not_ready_but_serving() {
    block_on(async {
        let app = App::new()
            .health()
            .drain_period(std::time::Duration::from_millis(600))
            .routes(routes![slow_request]);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.serve_on(listener, async {
            let _ = stop_rx.await;
        }));
        let ready = get_once(addr, "/health/ready").await.unwrap();
        assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
        // A request in flight when SIGTERM arrives...
        let in_flight = tokio::spawn(get_once(addr, "/slow"));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let asked = std::time::Instant::now();
        stop_tx.send(()).unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        // ...during the drain period: not ready, yet new requests are still served.
        let ready = get_once(addr, "/health/ready").await.unwrap();
        assert!(ready.starts_with("HTTP/1.1 503"), "{ready}");
        assert!(ready.contains("\"status\":\"draining\""), "{ready}");
        let live = get_once(addr, "/slow").await.unwrap();
        assert!(live.ends_with("\"finished\""), "{live}");
        // The request in flight finished, nothing was dropped.
        let first = in_flight.await.unwrap().unwrap();
        assert!(first.ends_with("\"finished\""), "{first}");
        server.await.unwrap().unwrap();
        assert!(asked.elapsed() >= std::time::Duration::from_millis(600));
        // After the drain period the listener is closed.
        assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    });
}
