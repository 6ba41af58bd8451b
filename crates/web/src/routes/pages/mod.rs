//! The web pages ([`samvirke_pages`]) and their assets, outside the API and
//! its OpenAPI document. Each page is a row of [`crate::access::TABLE`] like
//! every other route; a page without a session sends the browser to the
//! sign-in page. A page's handler reads what it shows (through the same
//! store, domain rules and access decisions as the API), hands it to its
//! template, and for a form calls the same domain functions as the API: a
//! refused form is shown again with its errors in the page's language, a
//! blocked action with its rule, section of the law and way forward.
//!
//! A page's language is `?lang=da|en` (kept in a cookie for the next pages),
//! else that cookie, else `Accept-Language`, else Danish.

mod appointment;
mod calendar;
mod courses;
mod day;
mod documents;
mod feed;
mod lookups;
mod orders;
mod overview;
mod planning;
mod reset;

use crate::AppState;
use crate::auth::CurrentSession;
use crate::error::ApiError;
use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::header::{
    ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_TYPE, COOKIE, HeaderName, SET_COOKIE,
};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use samvirke_domain::Lang;
use samvirke_domain::policy::Actor;
use samvirke_domain::rules::RuleViolationView;
use samvirke_domain::time::TimeRange;
use samvirke_pages::i18n::{LANG_COOKIE, choose_lang, parse_lang};
use samvirke_pages::layout::{SignedIn, home, paths};
use samvirke_pages::work::FieldProblem;
use samvirke_pages::{Chrome, ErrorPage, SignIn, Start};
use std::path::PathBuf;

/// The start page.
pub const START: &str = "/";
/// The sign-in page.
pub const SIGN_IN_PAGE: &str = "/sign-in";
/// The route of the dkfds files.
pub const DKFDS_ROUTE: &str = "/assets/dkfds/{*path}";
/// The route of the htmx files.
pub const HTMX_ROUTE: &str = "/assets/htmx/{*path}";
/// The route of the pages' own scripts.
pub const PAGES_ASSET_ROUTE: &str = "/assets/pages/{file}";
/// A practitioner's appointment, with its outcome form.
pub const APPOINTMENT_PAGE: &str = "/appointments/{id}";
/// The outcome form of an appointment posts here.
pub const OUTCOME_FORM: &str = "/appointments/{id}/outcome";
/// The calendar's move form of an appointment posts here.
pub const MOVE_FORM: &str = "/appointments/{id}/move";
/// The calendar's form that plans an appointment posts here.
pub const PLAN_FORM: &str = "/calendar/appointments";
/// The calendar's forms ask here for the clashes of what they would book.
pub const CONFLICT_CHECK: &str = "/calendar/check";

/// The planner's page posts the ticked changes of a proposal here.
pub const ACCEPT_PLAN: &str = "/planning/accept";

/// The form that starts a written description of a visit.
pub const DESCRIPTION_FORM: &str = "/appointments/{id}/description";
/// A written report's page.
pub const DOCUMENT_PAGE: &str = "/documents/{id}";

/// The page a password-reset link opens.
pub const RESET_PAGE: &str = crate::routes::accounts::RESET_PATH;

/// How long a browser may keep an asset: a year (the packages are pinned to one version).
pub const ASSET_CACHE: &str = "public, max-age=31536000, immutable";

/// The pages' routes: `(method, path)` of each, for [`crate::undocumented_routes`].
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", START),
    ("GET", SIGN_IN_PAGE),
    ("POST", paths::SIGN_OUT),
    ("GET", feed::FEED_PAGE),
    ("POST", feed::FEED_PAGE),
    ("GET", feed::FEED_ROUTE),
    ("GET", RESET_PAGE),
    ("POST", RESET_PAGE),
    ("GET", DKFDS_ROUTE),
    ("GET", HTMX_ROUTE),
    ("GET", PAGES_ASSET_ROUTE),
    ("GET", paths::OVERVIEW),
    ("GET", paths::MY_DAY),
    ("GET", APPOINTMENT_PAGE),
    ("POST", OUTCOME_FORM),
    ("GET", DESCRIPTION_FORM),
    ("POST", DESCRIPTION_FORM),
    ("GET", DOCUMENT_PAGE),
    ("POST", "/documents/{id}/versions"),
    ("POST", "/documents/{id}/submit"),
    ("POST", "/documents/{id}/review"),
    ("POST", "/documents/{id}/family-review"),
    ("GET", paths::ORDERS),
    ("POST", paths::ORDERS),
    ("GET", "/orders/new"),
    ("GET", paths::COURSES),
    ("GET", "/referrals/{id}"),
    ("POST", "/referrals/{id}/accept"),
    ("POST", "/referrals/{id}/plan"),
    ("POST", "/referrals/{id}/series"),
    ("POST", "/referrals/{id}/action-plan"),
    ("POST", "/referrals/{id}/focus-areas"),
    ("POST", "/action-plans/{id}/goals"),
    ("POST", "/action-plans/{id}/phase"),
    ("POST", "/action-plans/{id}/reviews"),
    ("GET", paths::CALENDAR),
    ("POST", CONFLICT_CHECK),
    ("POST", PLAN_FORM),
    ("POST", MOVE_FORM),
    ("GET", paths::PLANNING),
    ("POST", ACCEPT_PLAN),
];

/// The pages and their assets.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(START, get(start))
        .route(SIGN_IN_PAGE, get(sign_in))
        .route(paths::SIGN_OUT, post(sign_out))
        .route(RESET_PAGE, get(reset::page).post(reset::set))
        .route(feed::FEED_PAGE, get(feed::page).post(feed::renew))
        .route(feed::FEED_ROUTE, get(feed::feed))
        .route(DKFDS_ROUTE, get(dkfds))
        .route(HTMX_ROUTE, get(htmx))
        .route(PAGES_ASSET_ROUTE, get(pages_asset))
        .route(paths::OVERVIEW, get(overview::page))
        .route(paths::MY_DAY, get(day::page))
        .route(APPOINTMENT_PAGE, get(appointment::page))
        .route(OUTCOME_FORM, post(appointment::record))
        .route(DESCRIPTION_FORM, get(documents::new_description).post(documents::create_description))
        .route(DOCUMENT_PAGE, get(documents::page))
        .route("/documents/{id}/versions", post(documents::revise))
        .route("/documents/{id}/submit", post(documents::submit))
        .route("/documents/{id}/review", post(documents::review))
        .route("/documents/{id}/family-review", post(documents::family_review))
        .route(paths::ORDERS, get(orders::orders).post(orders::create_order))
        .route("/orders/new", get(orders::new_order))
        .route(paths::COURSES, get(orders::courses))
        .route("/referrals/{id}", get(orders::referral))
        .route("/referrals/{id}/accept", post(orders::accept))
        .route("/referrals/{id}/plan", post(orders::plan))
        .route("/referrals/{id}/series", post(orders::series))
        .route("/referrals/{id}/action-plan", post(courses::start_plan))
        .route("/referrals/{id}/focus-areas", post(courses::add_focus_area))
        .route("/action-plans/{id}/goals", post(courses::add_goal))
        .route("/action-plans/{id}/phase", post(courses::change_phase))
        .route("/action-plans/{id}/reviews", post(courses::add_review))
        .route(paths::CALENDAR, get(calendar::page))
        .route(CONFLICT_CHECK, post(calendar::check))
        .route(PLAN_FORM, post(calendar::plan))
        .route(MOVE_FORM, post(calendar::move_appointment))
        .route(paths::PLANNING, get(planning::page))
        .route(ACCEPT_PLAN, post(planning::accept))
}

/// The stable code of a domain value as the API writes it (`"saturday"`,
/// `"start_meeting"`): the value of a form's choice.
pub(super) fn code<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The Monday of a day's week.
pub(super) fn monday(d: jiff::civil::Date) -> jiff::civil::Date {
    d - jiff::Span::new().days(i64::from(d.weekday().to_monday_zero_offset()))
}

/// The instants from the start of `first` to the start of `end`, in Copenhagen.
pub(super) fn local_days(first: jiff::civil::Date, end: jiff::civil::Date) -> Result<TimeRange, ApiError> {
    let zone = samvirke_domain::calendar::copenhagen();
    let at = |d: jiff::civil::Date| d.to_zoned(zone.clone()).map(|z| z.timestamp()).map_err(|_| ApiError::Internal);
    TimeRange::new(at(first)?, at(end)?).map_err(|_| ApiError::Internal)
}

/// A form field's text, trimmed; `None` when it is left empty.
pub(super) fn filled(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// What every page handler knows of its request: the language (and the
/// cookie that keeps a language asked for in the query), the page's path,
/// and whoever is signed in.
pub struct PageCtx {
    /// The page's language.
    pub lang: Lang,
    keep: Option<HeaderValue>,
    path: String,
    /// The signed-in actor, when there is one.
    pub actor: Option<Actor>,
    session: Option<(String, String)>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageCtx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let secure = parts.extensions.get::<AppState>().is_none_or(|app| app.config.secure_cookies);
        let query = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&parts.uri).map(|q| q.0).ok();
        let asked = query.as_ref().and_then(|q| q.iter().find(|(k, _)| k == "lang").map(|(_, v)| v.clone()));
        let (lang, keep) = language(&parts.headers, asked.as_deref(), secure);
        let session = parts
            .extensions
            .get::<CurrentSession>()
            .filter(|s| s.complete)
            .map(|s| (s.user.display_name.to_string(), s.csrf_token().reveal().to_string()));
        Ok(PageCtx {
            lang,
            keep,
            path: parts.uri.path().to_string(),
            actor: parts.extensions.get::<Actor>().cloned(),
            session,
        })
    }
}

impl PageCtx {
    /// What the page's layout shows.
    pub fn chrome(&self) -> Chrome {
        let user = match (&self.actor, &self.session) {
            (Some(actor), Some((name, csrf))) => {
                Some(SignedIn { name: name.clone(), role: actor.role, csrf: csrf.clone() })
            }
            _ => None,
        };
        Chrome { lang: self.lang, path: self.path.clone(), user }
    }

    /// The provider and staff id of the signed-in member of provider staff;
    /// anyone else is refused.
    pub fn provider_staff(&self) -> Result<(samvirke_domain::ProviderId, samvirke_domain::StaffId), ApiError> {
        match self.actor()?.who {
            samvirke_domain::policy::ActorKind::ProviderStaff { provider, staff } => Ok((provider, staff)),
            _ => Err(ApiError::Forbidden),
        }
    }

    /// The signed-in actor (every page but the sign-in page has one: the access check sees to it).
    pub fn actor(&self) -> Result<&Actor, ApiError> {
        self.actor.as_ref().ok_or(ApiError::Unauthorized)
    }

    /// A rendered page, in its language.
    pub fn render(&self, html: Result<String, askama::Error>) -> Response {
        self.render_with(StatusCode::OK, html)
    }

    /// A rendered page with another status (a refused form shown again).
    pub fn render_with(&self, status: StatusCode, html: Result<String, askama::Error>) -> Response {
        let Ok(html) = html else {
            tracing::error!(page = self.path, "a page did not render");
            return ApiError::Internal.into_response();
        };
        let mut response = (status, Html(html)).into_response();
        response.headers_mut().insert(CONTENT_LANGUAGE, HeaderValue::from_static(self.lang.tag()));
        if let Some(cookie) = &self.keep {
            response.headers_mut().insert(SET_COOKIE, cookie.clone());
        }
        response
    }

    /// An error as a page: what went wrong in the page's language, with the
    /// error's status (a rule's explanation with its section and way forward).
    pub fn error(&self, error: ApiError) -> Response {
        use askama::Template;
        let body = error.body(self.lang);
        let page = ErrorPage { chrome: self.chrome(), message: body.error.message, rule: body.error.rule };
        self.render_with(error.status(), page.render())
    }
}

/// What a refused form shows: the status, each problem of a field (its id in
/// the form and its label, by `field_of` from the API's field name), or the
/// rule that blocks it. Any other error is handed back, to be shown as a page.
pub fn refusal(
    error: ApiError,
    lang: Lang,
    field_of: impl Fn(&str) -> (&'static str, samvirke_pages::Text),
) -> Result<(StatusCode, Vec<FieldProblem>, Option<RuleViolationView>), ApiError> {
    match &error {
        ApiError::Validation(problems) => Ok((
            error.status(),
            problems
                .0
                .iter()
                .map(|p| {
                    let (field, label) = field_of(&p.field);
                    FieldProblem {
                        field: field.to_string(),
                        label: label.get(lang).to_string(),
                        message: p.problem.message(lang),
                    }
                })
                .collect(),
            None,
        )),
        ApiError::Rule(violation) => Ok((error.status(), Vec::new(), Some(violation.view(lang)))),
        _ => Err(error),
    }
}

/// A page shown again after a refused form posted to another address: htmx
/// shows the page's own address (`hx-replace-url`), not the form's.
pub fn shown_at(mut response: Response, page: &str) -> Response {
    if let Ok(url) = HeaderValue::from_str(page) {
        response.headers_mut().insert("hx-replace-url", url);
    }
    response
}

/// A page the access check refused, as a page: what went wrong, in the
/// language the browser asked for (the person's name is not known here).
pub fn refused(headers: &HeaderMap, path: &str, error: ApiError) -> Response {
    use askama::Template;
    let (lang, _) = language(headers, None, true);
    let page = ErrorPage { chrome: Chrome::anonymous(lang, path), message: error.body(lang).error.message, rule: None };
    match page.render() {
        Ok(html) => {
            let mut response = (error.status(), Html(html)).into_response();
            response.headers_mut().insert(CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
            response
        }
        Err(_) => error.into_response(),
    }
}

/// The page's language, and the cookie that keeps a language asked for in the query.
fn language(headers: &HeaderMap, asked: Option<&str>, secure: bool) -> (Lang, Option<HeaderValue>) {
    let cookie = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(LANG_COOKIE)?.strip_prefix('='))
        .map(str::to_owned);
    let accept = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let lang = choose_lang(asked, cookie.as_deref(), accept);
    let keep = asked.and_then(parse_lang).map(|asked| {
        let secure = if secure { "; Secure" } else { "" };
        let value = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}", asked.tag());
        HeaderValue::from_str(&value).expect("a language cookie is a header value")
    });
    (lang, keep)
}

/// The start page: the page a role's work starts from, or a greeting for a
/// role without one.
async fn start(ctx: PageCtx) -> Response {
    use askama::Template;
    let actor = match ctx.actor() {
        Ok(a) => a,
        Err(e) => return ctx.error(e),
    };
    if let Some(home) = home(actor.role) {
        return Redirect::to(home).into_response();
    }
    let start = Start { chrome: ctx.chrome() };
    ctx.render(start.render())
}

/// The sign-in page; someone already signed in goes on to the start page.
async fn sign_in(ctx: PageCtx) -> Response {
    use askama::Template;
    if ctx.actor.is_some() {
        let mut response = Redirect::to(START).into_response();
        if let Some(cookie) = &ctx.keep {
            response.headers_mut().insert(SET_COOKIE, cookie.clone());
        }
        return response;
    }
    ctx.render(SignIn { chrome: Chrome::anonymous(ctx.lang, SIGN_IN_PAGE) }.render())
}

/// Signing out from a page's button: the session ends (as `DELETE
/// /api/v1/session`), and the browser goes to the sign-in page.
async fn sign_out(State(app): State<AppState>, from: crate::auth::ClientAddr, session: CurrentSession) -> Response {
    match super::session::sign_out(State(app), from, session).await {
        Ok(ended) => {
            let mut response = Redirect::to(SIGN_IN_PAGE).into_response();
            if let Some(cookie) = ended.headers().get(SET_COOKIE) {
                response.headers_mut().insert(SET_COOKIE, cookie.clone());
            }
            response
        }
        Err(e) => e.into_response(),
    }
}

/// A file of the dkfds distribution, with a long cache lifetime.
async fn dkfds(State(app): State<AppState>, Path(path): Path<String>) -> Response {
    vendor(&app, "dkfds", &path).await
}

/// A file of the htmx distribution, with a long cache lifetime.
async fn htmx(State(app): State<AppState>, Path(path): Path<String>) -> Response {
    vendor(&app, "htmx.org", &path).await
}

/// A file of an npm package's `dist` folder under the assets folder. `404`
/// for a file that is not there, and a warning in the log when the package is
/// missing (run `scripts/assets`, or set `SAMVIRKE_ASSETS_DIR`).
async fn vendor(app: &AppState, package: &str, path: &str) -> Response {
    let Some(relative) = safe_relative(path) else { return ApiError::NotFound.into_response() };
    let dist = app.config.assets_dir.join(package).join("dist");
    match tokio::fs::read(dist.join(relative)).await {
        Ok(bytes) => asset(content_type(path), bytes),
        Err(_) => {
            if !tokio::fs::metadata(&dist).await.is_ok_and(|m| m.is_dir()) {
                tracing::warn!(
                    folder = %dist.display(),
                    "the pages' assets are missing: run scripts/assets (npm ci --prefix frontend) or set SAMVIRKE_ASSETS_DIR"
                );
            }
            ApiError::NotFound.into_response()
        }
    }
}

/// The pages' own script and style sheet.
async fn pages_asset(Path(file): Path<String>) -> Response {
    let path = format!("/assets/pages/{file}");
    match samvirke_pages::ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, content_type, content)) => asset(content_type, content.as_bytes().to_vec()),
        None => ApiError::NotFound.into_response(),
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

/// Where the pages' npm packages are by default: as `scripts/assets` installs them, from the checkout's root.
pub fn default_assets_dir() -> PathBuf {
    PathBuf::from("frontend/node_modules")
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
