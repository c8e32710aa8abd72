//! Typed WebSocket sessions: JSON messages in each direction, validated on the way in and
//! described in the AsyncAPI document.

use std::marker::PhantomData;

use axum::extract::ws::Message;

use super::WebSocket;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Loc, Rejection, ValidationErrors};
use crate::extract::json::parse_json;
use crate::spec::{DocCtx, Messages};
use crate::validate::Validate;

/// The connection argument of a `#[websocket]` handler: a plain [`WebSocket`] (messages
/// not described) or a [`JsonSocket`] (typed messages, described in AsyncAPI).
pub trait FromSocket: Sized {
    /// Wraps the upgraded connection.
    fn from_socket(socket: WebSocket) -> Self;
    /// Describes the messages in each direction.
    fn describe(ctx: &mut DocCtx, messages: &mut Messages);
}

impl FromSocket for WebSocket {
    fn from_socket(socket: WebSocket) -> Self {
        socket
    }
    fn describe(_ctx: &mut DocCtx, _messages: &mut Messages) {}
}

/// Why a message could not be received.
#[derive(Debug)]
pub enum RecvError {
    /// The message is not JSON of the expected type, or breaks its constraints: the same
    /// errors a JSON body gets (locations start with `"body"`).
    Invalid(ValidationErrors),
    /// The connection failed.
    Connection(axum::Error),
}

impl std::fmt::Display for RecvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecvError::Invalid(e) => write!(f, "invalid message: {e}"),
            RecvError::Connection(e) => write!(f, "connection failed: {e}"),
        }
    }
}

impl std::error::Error for RecvError {}

/// A WebSocket session whose messages are JSON: `In` from the client, `Out` from the
/// server. Both types are described in the app's AsyncAPI document (`/asyncapi.json`,
/// feature `asyncapi`), and
/// every received message is validated like a JSON body (`#[model]` constraints included).
///
/// ```
/// use ferrapi::prelude::*;
/// use ferrapi::realtime::{JsonSocket, RecvError};
///
/// #[model]
/// struct Say {
///     #[field(min_length = 1)]
///     text: String,
/// }
///
/// #[model]
/// #[serde(tag = "type", rename_all = "lowercase")]
/// enum Event {
///     Echo { text: String },
///     Error { detail: String },
/// }
///
/// #[websocket("/echo")]
/// async fn echo(mut socket: JsonSocket<Say, Event>) {
///     while let Some(msg) = socket.recv().await {
///         let reply = match msg {
///             Ok(say) => Event::Echo { text: say.text },
///             Err(RecvError::Invalid(errors)) => Event::Error { detail: errors.to_string() },
///             Err(RecvError::Connection(_)) => break,
///         };
///         if socket.send(&reply).await.is_err() {
///             break;
///         }
///     }
/// }
///
/// let doc = App::new().routes(routes![echo]).asyncapi_value().unwrap();
/// assert_eq!(doc["channels"]["echo"]["address"], "/echo");
/// ```
pub struct JsonSocket<In, Out> {
    socket: WebSocket,
    types: PhantomData<fn(In) -> Out>,
}

impl<In, Out> std::fmt::Debug for JsonSocket<In, Out> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonSocket")
    }
}

impl<In: DeserializeOwned + Validate, Out: Serialize> JsonSocket<In, Out> {
    /// The next message from the client: `None` once the client closed the connection.
    /// Pings, pongs and empty frames are skipped; text and binary frames are read as JSON.
    pub async fn recv(&mut self) -> Option<Result<In, RecvError>> {
        next_message(&mut self.socket).await
    }

    /// Sends a message to the client.
    pub async fn send(&mut self, msg: &Out) -> Result<(), axum::Error> {
        self.socket.send(encode(msg)?).await
    }

    /// Closes the session with a code and a reason (at most 123 bytes), as RFC 6455 asks.
    pub async fn close(mut self, code: u16, reason: &str) -> Result<(), axum::Error> {
        self.socket.send(close_frame(code, reason)).await
    }

    /// Splits the session into a sender and a receiver, to send and receive from two tasks.
    pub fn split(self) -> (JsonSender<Out>, JsonReceiver<In>) {
        let (sink, stream) = self.socket.split();
        (
            JsonSender {
                sink,
                types: PhantomData,
            },
            JsonReceiver {
                stream,
                types: PhantomData,
            },
        )
    }

    /// The untyped connection.
    pub fn into_inner(self) -> WebSocket {
        self.socket
    }
}

/// The sending half of a [`JsonSocket`].
pub struct JsonSender<Out> {
    sink: SplitSink<WebSocket, Message>,
    types: PhantomData<fn(Out)>,
}

impl<Out: Serialize> JsonSender<Out> {
    /// Sends a message to the client.
    pub async fn send(&mut self, msg: &Out) -> Result<(), axum::Error> {
        self.sink.send(encode(msg)?).await
    }

    /// Closes the session with a code and a reason.
    pub async fn close(mut self, code: u16, reason: &str) -> Result<(), axum::Error> {
        self.sink.send(close_frame(code, reason)).await
    }
}

/// The receiving half of a [`JsonSocket`].
pub struct JsonReceiver<In> {
    stream: SplitStream<WebSocket>,
    types: PhantomData<fn() -> In>,
}

impl<In: DeserializeOwned + Validate> JsonReceiver<In> {
    /// The next message from the client: `None` once the client closed the connection.
    pub async fn recv(&mut self) -> Option<Result<In, RecvError>> {
        next_message(&mut self.stream).await
    }
}

impl<In: DeserializeOwned + Validate + crate::ToSchema, Out: Serialize + crate::ToSchema> FromSocket
    for JsonSocket<In, Out>
{
    fn from_socket(socket: WebSocket) -> Self {
        JsonSocket {
            socket,
            types: PhantomData,
        }
    }
    fn describe(ctx: &mut DocCtx, messages: &mut Messages) {
        messages.receive = Some(ctx.schema_of::<In>());
        messages.send = Some(ctx.schema_of::<Out>());
    }
}

fn close_frame(code: u16, reason: &str) -> Message {
    Message::Close(Some(super::socket::frame(code, reason)))
}

/// The next message of `stream` read as JSON; frames without a message are skipped.
async fn next_message<In, S>(stream: &mut S) -> Option<Result<In, RecvError>>
where
    In: DeserializeOwned + Validate,
    S: futures_util::Stream<Item = Result<Message, axum::Error>> + Unpin,
{
    loop {
        let msg = match stream.next().await? {
            Ok(m) => m,
            Err(e) => return Some(Err(RecvError::Connection(e))),
        };
        if let Some(parsed) = decode(msg)? {
            return Some(parsed);
        }
    }
}

fn encode<Out: Serialize>(msg: &Out) -> Result<Message, axum::Error> {
    let text = serde_json::to_string(msg).map_err(axum::Error::new)?;
    Ok(Message::Text(text.into()))
}

/// `None`: the connection closed. `Some(None)`: a frame that carries no message.
fn decode<In: DeserializeOwned + Validate>(msg: Message) -> Option<Option<Result<In, RecvError>>> {
    let bytes = match msg {
        Message::Text(t) => bytes::Bytes::from(t),
        Message::Binary(b) => b,
        Message::Close(_) => return None,
        Message::Ping(_) | Message::Pong(_) => return Some(None),
    };
    let parsed = parse_json::<In>(&bytes, &Loc::body()).map_err(|r| match r {
        Rejection::Validation(v) => RecvError::Invalid(v),
        Rejection::Response(_) => RecvError::Invalid(ValidationErrors::new()),
    });
    Some(Some(parsed))
}
