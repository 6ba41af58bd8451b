//! The web pages ([`samvirke_pages`]) and their assets, outside the API and
//! its OpenAPI document: the start page `/` (anyone signed in), the sign-in
//! page `/sign-in`, the dkfds distribution under `/assets/dkfds/…` (from
//! [`Config::assets_dir`](crate::Config::assets_dir)) and the pages' own
//! script under `/assets/pages/…`. The access check treats them as every
//! other route: they are rows of [`crate::access::TABLE`].
//!
//! A page's language is `?lang=da|en` (kept in a cookie for the next pages),
//! else that cookie, else `Accept-Language`, else Danish.

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::ApiError;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::{
    ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_TYPE, COOKIE, HeaderName, SET_COOKIE,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use samvirke_domain::Lang;
use samvirke_domain::policy::Actor;
use samvirke_pages::i18n::{LANG_COOKIE, choose_lang, parse_lang};
use samvirke_pages::{Chrome, SIGN_IN_JS, SIGN_IN_JS_PATH, SignIn, Start};
use serde::Deserialize;
use std::path::PathBuf;

/// The start page.
pub const START: &str = "/";
/// The sign-in page.
pub const SIGN_IN_PAGE: &str = "/sign-in";
/// The route of the dkfds files.
pub const DKFDS_ROUTE: &str = "/assets/dkfds/{*path}";
/// The route of the pages' own scripts.
pub const PAGES_ASSET_ROUTE: &str = "/assets/pages/{file}";

/// How long a browser may keep an asset: a year (dkfds is pinned to one version).
pub const ASSET_CACHE: &str = "public, max-age=31536000, immutable";

/// The pages' routes: `(method, path)` of each, for [`crate::UNDOCUMENTED_ROUTES`].
pub const ROUTES: [(&str, &str); 4] =
    [("GET", START), ("GET", SIGN_IN_PAGE), ("GET", DKFDS_ROUTE), ("GET", PAGES_ASSET_ROUTE)];

/// The pages and their assets.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(START, get(start))
        .route(SIGN_IN_PAGE, get(sign_in))
        .route(DKFDS_ROUTE, get(dkfds))
        .route(PAGES_ASSET_ROUTE, get(pages_asset))
}

/// The query every page takes.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    /// `da` or `en`: the page's language, kept in a cookie.
    lang: Option<String>,
}

/// The page's language, and the cookie that keeps a language asked for in the query.
fn language(app: &AppState, headers: &HeaderMap, query: &PageQuery) -> (Lang, Option<HeaderValue>) {
    let cookie = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(LANG_COOKIE)?.strip_prefix('='))
        .map(str::to_owned);
    let accept = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let lang = choose_lang(query.lang.as_deref(), cookie.as_deref(), accept);
    let keep = query.lang.as_deref().and_then(parse_lang).map(|asked| {
        let secure = if app.config.secure_cookies { "; Secure" } else { "" };
        let value = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}", asked.tag());
        HeaderValue::from_str(&value).expect("a language cookie is a header value")
    });
    (lang, keep)
}

fn page(lang: Lang, keep: Option<HeaderValue>, html: Result<String, askama::Error>) -> Response {
    let Ok(html) = html else {
        tracing::error!("a page did not render");
        return ApiError::Internal.into_response();
    };
    let mut response = Html(html).into_response();
    response.headers_mut().insert(CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    if let Some(cookie) = keep {
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response
}

/// The start page: greets whoever is signed in by name and role.
async fn start(
    State(app): State<AppState>,
    actor: CurrentActor,
    session: Option<axum::Extension<crate::CurrentSession>>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    use askama::Template;
    let (lang, keep) = language(&app, &headers, &query);
    let display_name = session.map(|s| s.user.display_name.to_string());
    let start = Start { chrome: Chrome { lang, path: START }, display_name, role: actor.0.role };
    page(lang, keep, start.render())
}

/// The sign-in page; someone already signed in goes on to the start page.
async fn sign_in(
    State(app): State<AppState>,
    actor: Option<axum::Extension<Actor>>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    use askama::Template;
    let (lang, keep) = language(&app, &headers, &query);
    if actor.is_some() {
        let mut response = Redirect::to(START).into_response();
        if let Some(cookie) = keep {
            response.headers_mut().insert(SET_COOKIE, cookie);
        }
        return response;
    }
    page(lang, keep, SignIn { chrome: Chrome { lang, path: SIGN_IN_PAGE } }.render())
}

/// A file of the dkfds distribution, with a long cache lifetime. `404` for a
/// file that is not there, and a warning in the log when the whole folder is
/// missing (run `scripts/assets`, or set `SAMVIRKE_ASSETS_DIR`).
async fn dkfds(State(app): State<AppState>, Path(path): Path<String>) -> Response {
    let Some(relative) = safe_relative(&path) else { return ApiError::NotFound.into_response() };
    let dir = &app.config.assets_dir;
    match tokio::fs::read(dir.join(relative)).await {
        Ok(bytes) => asset(content_type(&path), bytes),
        Err(_) => {
            if !tokio::fs::metadata(dir).await.is_ok_and(|m| m.is_dir()) {
                tracing::warn!(
                    folder = %dir.display(),
                    "the dkfds assets are missing: run scripts/assets (npm ci --prefix frontend) or set SAMVIRKE_ASSETS_DIR"
                );
            }
            ApiError::NotFound.into_response()
        }
    }
}

/// The pages' own script.
async fn pages_asset(Path(file): Path<String>) -> Response {
    if format!("/assets/pages/{file}") == SIGN_IN_JS_PATH {
        asset("text/javascript; charset=utf-8", SIGN_IN_JS.as_bytes().to_vec())
    } else {
        ApiError::NotFound.into_response()
    }
}

fn asset(content_type: &'static str, bytes: Vec<u8>) -> Response {
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (CACHE_CONTROL, HeaderValue::from_static(ASSET_CACHE)),
        (HeaderName::from_static("x-content-type-options"), HeaderValue::from_static("nosniff")),
    ];
    (headers, bytes).into_response()
}

/// A path inside the assets folder: plain names only, no `..`, no hidden files, no absolute path.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let mut relative = PathBuf::new();
    for part in path.split('/') {
        let plain = !part.is_empty()
            && !part.starts_with('.')
            && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !plain {
            return None;
        }
        relative.push(part);
    }
    Some(relative)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, ext)| ext) {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "map" | "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "eot" => "application/vnd.ms-fontobject",
        _ => "application/octet-stream",
    }
}

/// Where the dkfds assets are by default: as `scripts/assets` installs them, from the checkout's root.
pub fn default_assets_dir() -> PathBuf {
    PathBuf::from("frontend/node_modules/dkfds/dist")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_inside_the_folder_are_served() {
        assert_eq!(safe_relative("css/dkfds.min.css"), Some(PathBuf::from("css/dkfds.min.css")));
        for bad in ["../secret.key", "css/../../x", "/etc/passwd", "css//x", ".hidden", "a\\b", ""] {
            assert_eq!(safe_relative(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_prefix_is_the_route() {
        assert!(DKFDS_ROUTE.starts_with(samvirke_pages::DKFDS_PREFIX));
    }
}
