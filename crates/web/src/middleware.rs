//! The layers around every route: request id, tracing, compression, error
//! rendering, catch-panic, timeout and body limit.
//!
//! Logging: one span per request with the method, the matched route template
//! (`/api/v1/cases/{id}`, never the raw URI or its query string) and the
//! request id; one event with the status and latency. Bodies, headers and
//! path values are never logged: they carry personal data (docs/LOGGING.md).

use crate::Config;
use crate::error::ApiError;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, CONTENT_LENGTH, CONTENT_TYPE, VARY};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use samvirke_domain::Lang;
use std::any::Any;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

/// Wraps the router in the layers, outermost last.
pub fn layers<S: Clone + Send + Sync + 'static>(router: Router<S>, config: &Config) -> Router<S> {
    router
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(config.body_limit))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, config.request_timeout))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn(render_errors))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(|response: &Response, latency: Duration, _: &Span| {
                    tracing::info!(
                        status = response.status().as_u16(),
                        latency_ms = latency.as_millis() as u64,
                        "response"
                    );
                })
                .on_body_chunk(())
                .on_eos(()),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

fn request_span(request: &Request) -> Span {
    let route = request.extensions().get::<MatchedPath>().map_or("(no route)", MatchedPath::as_str);
    let request_id =
        request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok()).unwrap_or("").to_owned();
    tracing::info_span!("http", method = %request.method(), route, request_id)
}

/// Writes every error body in the language the request prefers.
///
/// Errors raised as [`ApiError`] travel in the response's extensions; error
/// statuses made by layers without one (axum's 405, the timeout, the body
/// limit) get the same shape here, so that a client sees one format only.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let lang = Lang::from_accept_language(request.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let mut response = next.run(request).await;
    let status = response.status();
    let error = match response.extensions_mut().remove::<ApiError>() {
        Some(error) => error,
        None if (status.is_client_error() || status.is_server_error()) && !is_json(&response) => {
            ApiError::from_status(status)
        }
        None => return response,
    };
    let (mut parts, _) = response.into_parts();
    let body = serde_json::to_vec(&error.body(lang)).expect("error bodies serialise");
    parts.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(CONTENT_LENGTH);
    parts.headers.insert(CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    parts.headers.append(VARY, HeaderValue::from_static("accept-language"));
    Response::from_parts(parts, body.into())
}

fn is_json(response: &Response) -> bool {
    response.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

/// A panic in a handler: logged (only a message fixed at compile time, never
/// one formatted at run time, which could hold personal data) and answered with the uniform 500.
fn panic_response(payload: Box<dyn Any + Send + 'static>) -> Response {
    let message = payload.downcast_ref::<&'static str>().copied().unwrap_or("(message withheld)");
    tracing::error!(panic = message, "request handler panicked");
    ApiError::Internal.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn call(router: Router, lang: &str) -> (StatusCode, serde_json::Value) {
        let request = Request::get("/boom").header(ACCEPT_LANGUAGE, lang).body(Body::empty()).unwrap();
        let response = router.oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn a_panicking_handler_gives_the_uniform_500_and_leaks_nothing() {
        async fn boom() -> &'static str {
            let secret = std::hint::black_box(String::from("0102154123"));
            if !secret.is_empty() {
                panic!("stored {secret}");
            }
            "never"
        }
        let router: Router = layers(Router::new().route("/boom", get(boom)), &Config::default());
        let (status, body) = call(router.clone(), "da").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["error"]["code"], "internal");
        assert_eq!(body["error"]["message"], "Der skete en fejl hos os. Prøv igen senere.");
        let (_, body) = call(router, "en").await;
        assert_eq!(body["error"]["message"], "Something went wrong on our side. Try again later.");
        assert!(!body.to_string().contains("0102154123"));
    }
}
