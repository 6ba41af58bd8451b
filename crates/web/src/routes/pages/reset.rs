//! The page a password-reset link opens (`/reset-password?token=…`): a new
//! password, twice. The form posts to the same address and sets the password
//! through the API's own handler (`POST /api/v1/password-reset`), with its
//! same-origin check, rate limit, policy and audit entry.

use super::PageCtx;
use crate::AppState;
use crate::auth::ClientAddr;
use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::accounts::{PasswordResetInput, reset_password};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use samvirke_pages::work::FieldProblem;
use samvirke_pages::{Chrome, ResetPassword, Text};
use serde::Deserialize;

/// The link's token.
#[derive(Debug, Deserialize)]
pub struct ResetQuery {
    token: Option<String>,
}

/// The form.
pub async fn page(ctx: PageCtx, Query(q): Query<ResetQuery>) -> Response {
    use askama::Template;
    let page = ResetPassword {
        chrome: Chrome::anonymous(ctx.lang, super::RESET_PAGE),
        token: q.token.unwrap_or_default(),
        errors: Vec::new(),
        done: false,
    };
    ctx.render(page.render())
}

/// The form, as posted.
#[derive(Debug, Default, Deserialize)]
pub struct ResetFields {
    #[serde(default)]
    token: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    repeat: String,
}

/// Sets the new password, or shows the form again with why not.
pub async fn set(
    State(app): State<AppState>,
    ctx: PageCtx,
    from: ClientAddr,
    mut headers: HeaderMap,
    Form(f): Form<ResetFields>,
) -> Response {
    // A browser posting a form from a page with `Referrer-Policy: no-referrer`
    // sends `Origin: null`, which the API's same-origin check refuses. This
    // form needs no such check: it carries its own secret, the link's token.
    headers.remove(axum::http::header::ORIGIN);
    use askama::Template;
    let lang = ctx.lang;
    let problem = |field: &str, label: Text, message: String| FieldProblem {
        field: field.into(),
        label: label.get(lang).into(),
        message,
    };
    let outcome = if f.new_password != f.repeat {
        Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![problem("repeat", Text::ResetRepeat, Text::ResetMismatch.get(lang).into())],
        ))
    } else {
        let input = PasswordResetInput { token: Some(f.token.clone()), new_password: Some(f.new_password.clone()) };
        match reset_password(State(app), from, headers, Json(input)).await {
            Ok(_) => Ok(()),
            Err(ApiError::Validation(problems)) => Err((
                StatusCode::UNPROCESSABLE_ENTITY,
                problems
                    .0
                    .iter()
                    .map(|p| {
                        let label = if p.field == "token" { Text::ResetLink } else { Text::ResetNew };
                        problem("new_password", label, p.problem.message(lang))
                    })
                    .collect(),
            )),
            Err(other) => return ctx.error(other),
        }
    };
    let (status, errors, done) = match outcome {
        Ok(()) => (StatusCode::OK, Vec::new(), true),
        Err((status, errors)) => (status, errors, false),
    };
    let page = ResetPassword { chrome: Chrome::anonymous(lang, super::RESET_PAGE), token: f.token, errors, done };
    ctx.render_with(status, page.render())
}
