//! What every page shares: its language, its address (the language switch
//! links to it), who is signed in, the navigation of their role, and the
//! session's CSRF token for the page's forms.

use crate::i18n::Text;
use samvirke_domain::Lang;
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::user::Role;

/// Whoever is signed in, as the header shows them.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// The session's CSRF token, sent by every form of the page.
    pub csrf: String,
}

/// A link of the main navigation.
#[derive(Debug, Clone, Copy)]
pub struct NavLink {
    /// Where it goes.
    pub href: &'static str,
    /// What it says.
    pub text: Text,
}

/// The pages of the main navigation.
pub mod paths {
    /// The coordinator's overview.
    pub const OVERVIEW: &str = "/overview";
    /// A practitioner's day.
    pub const MY_DAY: &str = "/my-day";
    /// The caseworker's orders.
    pub const ORDERS: &str = "/orders";
    /// The provider's courses.
    pub const COURSES: &str = "/courses";
    /// The week calendar of a room or a practitioner.
    pub const CALENDAR: &str = "/calendar";
    /// The planner: a proposal for next week or month, accepted in whole or in part.
    pub const PLANNING: &str = "/planning";
    /// Signing out (a form posts here).
    pub const SIGN_OUT: &str = "/sign-out";
}

/// The navigation of a role: the pages its work starts from.
pub fn nav(role: Role) -> &'static [NavLink] {
    use paths::*;
    const COORDINATION: &[NavLink] = &[
        NavLink { href: OVERVIEW, text: Text::NavOverview },
        NavLink { href: COURSES, text: Text::CoursesTitle },
        NavLink { href: CALENDAR, text: Text::NavCalendar },
        NavLink { href: PLANNING, text: Text::NavPlanning },
        NavLink { href: MY_DAY, text: Text::NavMyDay },
    ];
    const PRACTICE: &[NavLink] = &[
        NavLink { href: MY_DAY, text: Text::NavMyDay },
        NavLink { href: CALENDAR, text: Text::NavCalendar },
        NavLink { href: COURSES, text: Text::CoursesTitle },
    ];
    const CASEWORK: &[NavLink] = &[NavLink { href: ORDERS, text: Text::NavOrders }];
    match role {
        Role::Staff(StaffRole::Coordinator | StaffRole::TeamLead) => COORDINATION,
        Role::Staff(StaffRole::Practitioner) => PRACTICE,
        Role::Staff(StaffRole::Caseworker) => CASEWORK,
        Role::Staff(StaffRole::Admin) | Role::Parent | Role::YoungPerson => &[],
    }
}

/// The page a role starts on after signing in, when it has one.
pub fn home(role: Role) -> Option<&'static str> {
    nav(role).first().map(|l| l.href)
}

/// What every page shares.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The page's language.
    pub lang: Lang,
    /// The page's path, without a query (the language switch links to it).
    pub path: String,
    /// Whoever is signed in.
    pub user: Option<SignedIn>,
}

impl Chrome {
    /// A page for nobody in particular (the sign-in page).
    pub fn anonymous(lang: Lang, path: impl Into<String>) -> Self {
        Self { lang, path: path.into(), user: None }
    }

    /// A text in the page's language.
    pub fn t(&self, key: impl Into<Text>) -> &'static str {
        key.into().get(self.lang)
    }

    /// The page's language tag, for `<html lang>`.
    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// Whether the page is in the language of `tag` (the switch marks it).
    pub fn is(&self, tag: &str) -> bool {
        self.lang.tag() == tag
    }

    /// The navigation links of whoever is signed in.
    pub fn nav(&self) -> &'static [NavLink] {
        self.user.as_ref().map_or(&[], |u| nav(u.role))
    }

    /// Whether a link leads to the page itself (marked as current).
    pub fn here(&self, href: &str) -> bool {
        self.path == href || self.path.starts_with(&format!("{href}/"))
    }

    /// The session's CSRF token, for a form's hidden field (empty without a session).
    pub fn csrf(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.csrf.as_str())
    }

    /// The name of the form field that carries the CSRF token.
    pub fn csrf_field(&self) -> &'static str {
        crate::CSRF_FIELD
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
