//! The pages outside a case's work: signing in, the start page, an error.

use crate::i18n::Text;
use crate::layout::{Chrome, role_text};
use askama::Template;
use samvirke_domain::rules::RuleViolationView;

/// The sign-in page: username and password, then the code of the second factor.
#[derive(Debug, Template)]
#[template(path = "sign_in.html")]
pub struct SignIn {
    /// Language and path.
    pub chrome: Chrome,
}

/// The start page of a role without a page of its own (an administrator, a family).
#[derive(Debug, Template)]
#[template(path = "start.html")]
pub struct Start {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
}

impl Start {
    /// The role, as the page names it.
    pub fn role_text(&self) -> &'static str {
        self.chrome.user.as_ref().map_or("", |u| self.chrome.t(role_text(u.role)))
    }
}

/// A page that could not be shown, or an action that was refused: what went
/// wrong, and for a rule of the field its section of the law and the way forward.
#[derive(Debug, Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// What went wrong, in the page's language.
    pub message: String,
    /// The rule that blocked the action.
    pub rule: Option<RuleViolationView>,
}

/// The calendar feed's page: what it is, and a new secret link (shown once).
#[derive(Debug, Template)]
#[template(path = "calendar_feed.html")]
pub struct CalendarFeed {
    /// Language, path and who is signed in.
    pub chrome: Chrome,
    /// The new link, right after it was made (only then).
    pub link: Option<String>,
}

/// The page a password-reset link opens: a new password, twice.
#[derive(Debug, Template)]
#[template(path = "reset_password.html")]
pub struct ResetPassword {
    /// Language and path.
    pub chrome: Chrome,
    /// The link's token, carried by the form.
    pub token: String,
    /// The problems of a refused form.
    pub errors: Vec<crate::work::FieldProblem>,
    /// The password was changed.
    pub done: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::SignedIn;
    use samvirke_domain::Lang;
    use samvirke_domain::organisation::StaffRole;
    use samvirke_domain::user::Role;

    /// No inline script, style or event handler: the pages' CSP (`default-src 'self'`) holds.
    pub fn assert_no_inline_code(html: &str) {
        assert!(!html.contains("<style"), "inline style");
        assert!(!html.contains(" style="), "inline style attribute");
        let handler = html.match_indices(" on").any(|(at, _)| {
            let rest = &html[at + 3..];
            let name = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_lowercase()).len();
            name > 0 && rest[name..].starts_with('=')
        });
        assert!(!handler, "inline event handler");
        for script in html.split("<script").skip(1) {
            assert!(script.trim_start().starts_with("src="), "inline script");
        }
    }

    #[test]
    fn the_sign_in_page_has_no_inline_script_or_style() {
        for lang in [Lang::Da, Lang::En] {
            let html = SignIn { chrome: Chrome::anonymous(lang, "/sign-in") }.render().unwrap();
            assert!(html.contains(&format!("<html lang=\"{}\"", lang.tag())));
            assert_no_inline_code(&html);
        }
    }

    #[test]
    fn the_start_page_escapes_the_name_and_offers_sign_out_with_the_token() {
        let chrome = Chrome {
            lang: Lang::Da,
            path: "/".into(),
            user: Some(SignedIn { name: "<b>Eva</b>".into(), role: Role::Staff(StaffRole::Admin), csrf: "tok".into() }),
        };
        let html = Start { chrome }.render().unwrap();
        assert!(html.contains("&#60;b&#62;Eva") || html.contains("&lt;b&gt;Eva"), "{html}");
        assert!(html.contains("administrator"));
        assert!(html.contains("name=\"csrf_token\" value=\"tok\""), "{html}");
        assert_no_inline_code(&html);
    }
}
