//! HTTP for Samvirke: the JSON API under `/api/v1`, its OpenAPI document at
//! `/api/openapi.json`, and the health checks `/healthz` and `/readyz`.
//!
//! A request flows one way: an extractor parses the lenient `…Input` body
//! into domain types with a [`Validator`](samvirke_domain::validation::Validator)
//! (every problem, per field, in one answer), the handler asks the store inside
//! one transaction and commits only at the end, and the answer serialises the
//! domain types. Every failure is an [`ApiError`], turned into HTTP in one
//! place ([`error`]) and written in the request's language by one layer
//! ([`middleware::render_errors`]).

pub mod error;
pub mod extract;
pub mod middleware;
pub mod paging;
pub mod parse;
pub mod refs;
pub mod routes;

pub use error::{ApiError, ApiResult, ErrorBody};

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use samvirke_store::{Store, Tx};
use std::sync::Arc;
use std::time::Duration;

/// Limits of the HTTP server.
#[derive(Debug, Clone)]
pub struct Config {
    /// A request that takes longer is abandoned (its transaction rolled back) and answered 503.
    pub request_timeout: Duration,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self { request_timeout: Duration::from_secs(30), body_limit: 1024 * 1024 }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Limits.
    pub config: Config,
}

impl AppState {
    /// State with the default limits.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store, config: Config::default() }
    }

    /// A read-write transaction. Commit it as the last step of a handler: an
    /// error before that drops it, which rolls every write of the request back.
    pub async fn write(&self) -> ApiResult<Box<dyn Tx>> {
        Ok(self.store.begin().await?)
    }

    /// A read-only snapshot.
    pub async fn read(&self) -> ApiResult<Box<dyn Tx>> {
        Ok(self.store.begin_read().await?)
    }
}

/// The whole HTTP surface, with its layers, ready to serve.
pub fn router(state: AppState) -> Router {
    let (routes, doc) = routes::all().split_for_parts();
    let doc = serde_json::to_vec(&routes::document(doc)).expect("the OpenAPI document serialises");
    let doc = axum::body::Bytes::from(doc);
    let routes = routes
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { ([(CONTENT_TYPE, "application/json")], doc) }
            }),
        )
        .fallback(|| async { ApiError::NotFound });
    middleware::layers(routes, &state.config).with_state(state)
}

/// The OpenAPI 3.1 document, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes::document(routes::all().into_openapi())
}
