//! The web pages of Samvirke, rendered on the server: one job, turning what a
//! page shows into HTML in the markup of Det Fælles Designsystem (dkfds), in
//! Danish or English.
//!
//! The crate knows nothing of HTTP, sessions or the store: `samvirke-web`
//! routes the pages, checks access and hands each page what it shows. No page
//! has inline script or style, so the pages' `Content-Security-Policy`
//! (`default-src 'self'`) holds; their one script, [`SIGN_IN_JS`], is served
//! as a file of the same origin.

pub mod i18n;
pub mod pages;

pub use i18n::{Text, choose_lang};
pub use pages::{Chrome, SignIn, Start};

/// The sign-in page's script: posts the form to the session API as JSON and
/// then asks for the second factor. Served at [`SIGN_IN_JS_PATH`].
pub const SIGN_IN_JS: &str = include_str!("../static/sign-in.js");

/// Where [`SIGN_IN_JS`] is served.
pub const SIGN_IN_JS_PATH: &str = "/assets/pages/sign-in.js";

/// Where the dkfds distribution (`css/`, `js/`, `fonts/`, `img/`) is served.
pub const DKFDS_PREFIX: &str = "/assets/dkfds";
