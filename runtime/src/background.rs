//! Work that runs after the response: background tasks and dependency teardown.
//!
//! [`BackgroundTasks`] queues async work, like FastAPI's `BackgroundTasks`; [`Teardown`]
//! lets a dependency register cleanup that learns how the request ended (FastAPI's code
//! after `yield`: commit or roll back). Both run after the handler's response is ready, in
//! the order they were added, on the app's task tracker; graceful shutdown waits for them
//! (up to [`App::shutdown_timeout`](crate::App::shutdown_timeout)).
//!
//! ```
//! use ferrapi::prelude::*;
//! use ferrapi::background::BackgroundTasks;
//!
//! #[post("/send")]
//! async fn send(tasks: BackgroundTasks, #[query] to: String) -> Json<&'static str> {
//!     tasks.add(async move {
//!         // e.g. send an e-mail to `to`
//!         let _ = to;
//!     });
//!     Json("queued")
//! }
//! ```
//!
//! Only routes that use these extractors pay for the queue.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use axum::extract::{FromRequestParts, Request};
use axum::middleware::Next;
use axum::response::Response;
use http::request::Parts;
use http::StatusCode;

use crate::describe::ApiInput;
use crate::error::{HttpError, Rejection};
use crate::extract::AppState;
use crate::spec::{DocCtx, Operation};
pub use crate::tracker::Tracker;

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

enum Job {
    Task(BoxFuture),
    Teardown(Box<dyn FnOnce(StatusCode) -> BoxFuture + Send + 'static>),
}

/// The per-request queue, in the request's extensions.
#[derive(Clone, Default)]
struct Queue(Arc<Mutex<Vec<Job>>>);

impl Queue {
    fn push(&self, job: Job) {
        self.0.lock().expect("background queue").push(job);
    }
}

/// Queues async work to run after the response is sent.
#[derive(Clone)]
pub struct BackgroundTasks(Queue);

impl std::fmt::Debug for BackgroundTasks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackgroundTasks")
    }
}

impl BackgroundTasks {
    /// Adds a task; tasks run one after another, in the order added.
    pub fn add(&self, task: impl Future<Output = ()> + Send + 'static) {
        self.0.push(Job::Task(Box::pin(task)));
    }
}

/// Registers cleanup to run after the response, given its status: FastAPI's code after
/// `yield` in a dependency.
///
/// ```
/// use ferrapi::prelude::*;
/// use ferrapi::background::Teardown;
///
/// #[derive(Clone)]
/// struct Tx(u32);
///
/// #[dependency]
/// async fn transaction(teardown: Teardown) -> Tx {
///     let tx = Tx(1);
///     teardown.defer(|status| async move {
///         if status.is_success() { /* commit */ } else { /* roll back */ }
///     });
///     tx
/// }
/// ```
#[derive(Clone)]
pub struct Teardown(Queue);

impl std::fmt::Debug for Teardown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Teardown")
    }
}

impl Teardown {
    /// Runs `f(status)` after the response.
    pub fn defer<F, Fut>(&self, f: F)
    where
        F: FnOnce(StatusCode) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.0.push(Job::Teardown(Box::new(move |s| {
            Box::pin(f(s)) as BoxFuture
        })));
    }
}

fn queue(parts: &Parts) -> Result<Queue, Rejection> {
    parts
        .extensions
        .get::<Queue>()
        .cloned()
        .ok_or_else(|| HttpError::internal("background work is not enabled for this route").into())
}

impl FromRequestParts<AppState> for BackgroundTasks {
    type Rejection = Rejection;
    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Rejection> {
        queue(parts).map(BackgroundTasks)
    }
}

impl FromRequestParts<AppState> for Teardown {
    type Rejection = Rejection;
    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Rejection> {
        queue(parts).map(Teardown)
    }
}

impl ApiInput for BackgroundTasks {
    fn document(_ctx: &mut DocCtx, op: &mut Operation) {
        op.needs.background = true;
    }
}

impl ApiInput for Teardown {
    fn document(_ctx: &mut DocCtx, op: &mut Operation) {
        op.needs.background = true;
    }
}

/// The layer put on routes that use background work: gives the request a queue, then runs
/// the queued jobs after the handler's response, in order.
pub(crate) async fn run_queue(
    tracker: axum::extract::State<Tracker>,
    mut req: Request,
    next: Next,
) -> Response {
    let q = Queue::default();
    req.extensions_mut().insert(q.clone());
    let res = next.run(req).await;
    let jobs = std::mem::take(&mut *q.0.lock().expect("background queue"));
    if !jobs.is_empty() {
        let status = res.status();
        tracker.0.spawn(async move {
            for job in jobs {
                let fut = match job {
                    Job::Task(f) => f,
                    Job::Teardown(f) => f(status),
                };
                // A panicking task must not stop the ones after it.
                if let Err(e) = tokio::spawn(fut).await {
                    tracing::error!(error = %e, "background task failed");
                }
            }
        });
    }
    res
}
