//! Extractors whose rejections are [`ApiError`]s, so that a body that is not
//! JSON, a field of the wrong type or a malformed id in the URL come out in the
//! same shape and language as every other error.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use samvirke_domain::validation::{Problem, ValidationErrors};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A JSON request body (deserialised with the path of the failing field
/// recorded) or a JSON response.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(body_rejection)?;
        parse_json(&bytes).map(Json)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn body_rejection(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE { ApiError::PayloadTooLarge } else { ApiError::BadRequest }
}

/// Deserialises a body; a problem is reported at the path of the field where serde stopped.
///
/// serde's own messages are not passed on: they are in English only and quote
/// the offending value, which may be personal data.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value =
        serde_path_to_error::deserialize(&mut de).map_err(|err| json_error(&err.path().to_string(), err.inner()))?;
    de.end().map_err(|err| json_error(".", &err))?;
    Ok(value)
}

fn json_error(path: &str, err: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match err.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::InvalidJson { line: err.line(), column: err.column() }
        }
        Category::Data if matches!(path, "." | "") && !err.to_string().starts_with("missing field") => {
            ApiError::NotAnObject
        }
        Category::Data => {
            let text = err.to_string();
            let (field, problem) = if let Some(missing) = missing_field(&text) {
                (join(path, missing), Problem::Required)
            } else if text.starts_with("unknown variant") {
                (join(path, ""), Problem::NotAllowed)
            } else {
                (join(path, ""), wrong_type())
            };
            ApiError::Validation(ValidationErrors::one(field, problem))
        }
    }
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

fn join(path: &str, field: &str) -> String {
    match (path, field) {
        ("." | "", _) => field.to_string(),
        (_, "") => path.to_string(),
        _ => format!("{path}.{field}"),
    }
}

fn wrong_type() -> Problem {
    Problem::Other { da: "Værdien har en forkert type.".into(), en: "The value has the wrong type.".into() }
}

/// Path parameters. An id that cannot be parsed names no record: 404.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(rejection) if rejection.status().is_server_error() => {
                tracing::error!(error = %rejection.body_text(), "path parameters do not fit the handler");
                Err(ApiError::Internal)
            }
            Err(_) => Err(ApiError::NotFound),
        }
    }
}

/// Query parameters. The query types of this crate hold strings, parsed with
/// a validator, so a rejection here is rare (a repeated parameter); it is a 422.
#[derive(Debug, Clone, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| Query(v))
            .map_err(|_| ApiError::Validation(ValidationErrors::one("query", Problem::NotAllowed)))
    }
}

/// The language the request prefers (`Accept-Language`; Danish by default),
/// for answers that carry words besides errors, such as warnings.
#[derive(Debug, Clone, Copy, Default)]
pub struct UserLang(pub samvirke_domain::Lang);

impl<S: Send + Sync> FromRequestParts<S> for UserLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        Ok(UserLang(samvirke_domain::Lang::from_accept_language(header)))
    }
}
