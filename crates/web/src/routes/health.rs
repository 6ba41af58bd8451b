//! Health checks for the process supervisor and the load balancer.

use crate::AppState;
use crate::error::ApiResult;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The tag of these routes.
pub const TAG: &str = "health";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz)).routes(routes!(readyz))
}

/// The process is alive
///
/// Answers as long as the process serves requests; it does not touch the database.
#[utoipa::path(get, path = "/healthz", tag = TAG, responses((status = 200, description = "Alive", body = String, content_type = "text/plain", example = "ok")))]
async fn healthz() -> &'static str {
    "ok"
}

/// The database is reachable
///
/// 200 when the store answers a ping; 503 (in the usual error shape) when it does not.
#[utoipa::path(get, path = "/readyz", tag = TAG, responses(
    (status = 200, description = "Ready to serve", body = String, content_type = "text/plain", example = "ready"),
))]
async fn readyz(State(app): State<AppState>) -> ApiResult<&'static str> {
    app.store.ping().await?;
    Ok("ready")
}
