//! The layers around every route: request id, tracing, compression, security
//! headers, error rendering, catch-panic, timeout and body limit. (The access
//! check runs inside them, on every matched route: [`crate::access`].)
//!
//! Logging: one span per request with the method, the matched route template
//! (`/api/v1/cases/{id}`, never the raw URI or its query string) and the
//! request id; one event with the status and latency. Bodies, headers and
//! path values are never logged: they carry personal data (docs/LOGGING.md).

use crate::Config;
use crate::error::ApiError;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::header::{
    ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, VARY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName};
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
        .layer(axum::middleware::from_fn(security_headers))
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
/// limit) get the same shape here, so that a client sees one format only. The
/// pages' own error pages (HTML, written by [`crate::routes::pages`]) are left as they are.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let lang = Lang::from_accept_language(request.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let mut response = next.run(request).await;
    let status = response.status();
    let error = match response.extensions_mut().remove::<ApiError>() {
        Some(error) => error,
        // An error page of the pages is already what the person should see.
        None if (status.is_client_error() || status.is_server_error())
            && !is_json(&response)
            && ResponseKind::of(response.headers()) != ResponseKind::Page =>
        {
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

/// What a response is, which decides its `Content-Security-Policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    /// JSON, text and everything else that no browser renders as a page.
    Api,
    /// An HTML page ([`crate::routes::pages`]).
    Page,
}

impl ResponseKind {
    /// The kind of a response, by its content type.
    pub fn of(headers: &HeaderMap) -> Self {
        let html = headers.get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        if html { ResponseKind::Page } else { ResponseKind::Api }
    }
}

/// The `Content-Security-Policy` of a kind of response: nothing at all for the
/// API; for pages, their own origin only, never framed.
pub fn content_security_policy(kind: ResponseKind) -> &'static str {
    match kind {
        ResponseKind::Api => "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ResponseKind::Page => {
            "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        }
    }
}

/// Browser features no response of Samvirke needs.
pub const PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()";

/// Sets the security headers on every response, errors and `404`s included:
/// a content security policy by [`ResponseKind`], HSTS for two years,
/// `nosniff`, no referrer, `no-store` (every answer may carry personal data;
/// only the pages' static assets, which carry none, set a long lifetime instead),
/// a minimal permissions policy, and same-origin opener and resource policies.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let kind = ResponseKind::of(response.headers());
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, CONTENT_SECURITY_POLICY, content_security_policy(kind));
    set(headers, STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains");
    set(headers, X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, REFERRER_POLICY, "no-referrer");
    if !headers.contains_key(CACHE_CONTROL) {
        // Only the static assets of the pages set their own (routes::pages::ASSET_CACHE).
        set(headers, CACHE_CONTROL, "no-store");
    }
    set(headers, HeaderName::from_static("permissions-policy"), PERMISSIONS_POLICY);
    set(headers, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(headers, HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
    response
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
