//! The pages, each a template with what it shows.

use crate::i18n::Text;
use askama::Template;
use samvirke_domain::Lang;
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::user::Role;

/// What every page shares: its language and its own path (the language switch links to it).
#[derive(Debug, Clone, Copy)]
pub struct Chrome {
    /// The page's language.
    pub lang: Lang,
    /// The page's path, without a query.
    pub path: &'static str,
}

impl Chrome {
    /// A text in the page's language.
    pub fn t(&self, key: Text) -> &'static str {
        key.get(self.lang)
    }

    /// The page's language tag, for `<html lang>`.
    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// Whether the page is in the language of `tag` (the switch marks it).
    pub fn is(&self, tag: &str) -> bool {
        self.lang.tag() == tag
    }
}

/// The sign-in page: username and password, then the code of the second factor.
#[derive(Debug, Template)]
#[template(path = "sign_in.html")]
pub struct SignIn {
    /// Language and path.
    pub chrome: Chrome,
}

/// The start page after sign-in.
#[derive(Debug, Template)]
#[template(path = "start.html")]
pub struct Start {
    /// Language and path.
    pub chrome: Chrome,
    /// The name shown of whoever is signed in, when known.
    pub display_name: Option<String>,
    /// Their role.
    pub role: Role,
}

impl Start {
    /// The role, as the page names it.
    pub fn role_text(&self) -> &'static str {
        self.chrome.t(role_text(self.role))
    }
}

/// The text naming a role.
pub fn role_text(role: Role) -> Text {
    match role {
        Role::Staff(StaffRole::Practitioner) => Text::RolePractitioner,
        Role::Staff(StaffRole::Coordinator) => Text::RoleCoordinator,
        Role::Staff(StaffRole::TeamLead) => Text::RoleTeamLead,
        Role::Staff(StaffRole::Caseworker) => Text::RoleCaseworker,
        Role::Staff(StaffRole::Admin) => Text::RoleAdmin,
        Role::Parent => Text::RoleParent,
        Role::YoungPerson => Text::RoleYoungPerson,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_page_has_no_inline_script_or_style() {
        for lang in [Lang::Da, Lang::En] {
            let html = SignIn { chrome: Chrome { lang, path: "/sign-in" } }.render().unwrap();
            assert!(html.contains(&format!("<html lang=\"{}\"", lang.tag())));
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
    }

    #[test]
    fn the_start_page_escapes_the_name() {
        let html = Start {
            chrome: Chrome { lang: Lang::Da, path: "/" },
            display_name: Some("<b>Eva</b>".into()),
            role: Role::Staff(StaffRole::Coordinator),
        }
        .render()
        .unwrap();
        assert!(html.contains("&#60;b&#62;Eva") || html.contains("&lt;b&gt;Eva"), "{html}");
        assert!(html.contains("koordinator"));
    }
}
