//! The web pages of Samvirke, rendered on the server: one job, turning what a
//! page shows into HTML in the markup of Det Fælles Designsystem (dkfds), in
//! Danish or English.
//!
//! The crate knows nothing of HTTP, sessions or the store: `samvirke-web`
//! routes the pages, checks access and hands each page what it shows, with
//! dates and times already formatted by [`format`]. No page has inline script
//! or style, so the pages' `Content-Security-Policy` (`default-src 'self'`)
//! holds; their script and style sheet are files of the same origin
//! ([`ASSETS`]). htmx (from npm) makes links and forms update the page
//! without a full reload; every page also works without it.

pub mod calendar;
pub mod documents;
pub mod format;
pub mod i18n;
pub mod ical;
pub mod layout;
pub mod orders;
pub mod pages;
pub mod planning;
pub mod work;

pub use i18n::{Text, choose_lang};
pub use layout::Chrome;
pub use pages::{CalendarFeed, ErrorPage, ResetPassword, SignIn, Start};

/// The sign-in page's script: posts the form to the session API as JSON and
/// then asks for the second factor. Served at [`SIGN_IN_JS_PATH`].
pub const SIGN_IN_JS: &str = include_str!("../static/sign-in.js");

/// Where [`SIGN_IN_JS`] is served.
pub const SIGN_IN_JS_PATH: &str = "/assets/pages/sign-in.js";

/// The pages' own files: `(path, content type, content)`.
pub const ASSETS: &[(&str, &str, &str)] = &[
    (SIGN_IN_JS_PATH, "text/javascript; charset=utf-8", SIGN_IN_JS),
    ("/assets/pages/samvirke.css", "text/css; charset=utf-8", include_str!("../static/samvirke.css")),
];

/// Where the dkfds distribution (`css/`, `js/`, `fonts/`, `img/`) is served.
pub const DKFDS_PREFIX: &str = "/assets/dkfds";

/// The form field that carries the session's CSRF token.
pub const CSRF_FIELD: &str = "csrf_token";
