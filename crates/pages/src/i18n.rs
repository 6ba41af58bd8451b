//! The pages' texts: one typed key per text, each with its Danish and its
//! English wording side by side, so that a key without both does not compile.
//! Danish is the default language; a page's language is chosen by
//! [`choose_lang`].

use samvirke_domain::Lang;

macro_rules! texts {
    ($($(#[$doc:meta])* $key:ident => $da:literal, $en:literal;)*) => {
        /// A text of the pages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text {
            $($(#[$doc])* $key,)*
        }

        impl Text {
            /// Every text, in the order of the catalogue.
            pub const ALL: &[Text] = &[$(Text::$key,)*];

            /// The Danish and the English wording.
            pub fn both(self) -> (&'static str, &'static str) {
                match self {
                    $(Text::$key => ($da, $en),)*
                }
            }
        }
    };
}

texts! {
    /// The service's name, in the header and every title.
    ServiceName => "Samvirke", "Samvirke";
    /// The skip link, the first thing on every page.
    SkipToContent => "Gå til sidens indhold", "Skip to content";
    /// The label of the language switch.
    Language => "Sprog", "Language";
    /// Danish, in Danish (the switch names each language in itself).
    Danish => "Dansk", "Dansk";
    /// English, in English.
    English => "English", "English";
    /// The footer's line.
    Footer => "Samvirke – sagssystem for familiestøtte i børne- og ungeområdet",
              "Samvirke – case system for family support in child welfare";
    /// The sign-in page's title and heading.
    SignInTitle => "Log ind", "Sign in";
    /// What the sign-in page asks for.
    SignInIntro => "Log ind med dit brugernavn og din adgangskode.",
                   "Sign in with your username and password.";
    /// The username field.
    Username => "Brugernavn", "Username";
    /// The password field.
    Password => "Adgangskode", "Password";
    /// The sign-in button.
    SignInButton => "Log ind", "Sign in";
    /// The heading of the second step.
    TotpHeading => "Kode fra din godkendelses-app", "Code from your authenticator app";
    /// What the second step asks for.
    TotpHint => "Skriv den 6-cifrede kode fra appen, eller en af dine gendannelseskoder.",
                "Enter the 6-digit code from the app, or one of your recovery codes.";
    /// The code field.
    TotpCode => "Kode", "Code";
    /// The button of the second step.
    TotpButton => "Bekræft", "Confirm";
    /// A wrong username or password.
    SignInFailed => "Brugernavnet eller adgangskoden er forkert, eller kontoen er midlertidigt låst.",
                    "The username or password is wrong, or the account is locked for a while.";
    /// A wrong code.
    TotpFailed => "Koden er forkert. Prøv igen.", "The code is wrong. Try again.";
    /// The account must enrol an authenticator app first, which the pages cannot do yet.
    EnrolmentNeeded => "Din konto skal først have en godkendelses-app tilknyttet. Det kan endnu ikke gøres her; kontakt din administrator.",
                       "Your account needs an authenticator app first. That cannot be done here yet; contact your administrator.";
    /// Rate limited.
    TooManyAttempts => "For mange forsøg. Vent lidt, og prøv igen.", "Too many attempts. Wait a little and try again.";
    /// The sign-in needs its script.
    NeedsScript => "Log ind kræver, at JavaScript er slået til i browseren.",
                   "Signing in needs JavaScript to be switched on in the browser.";
    /// The start page's title.
    StartTitle => "Forside", "Start";
    /// The greeting on the start page.
    Welcome => "Velkommen", "Welcome";
    /// Before the role on the start page.
    SignedInAs => "Du er logget ind som", "You are signed in as";
    /// Roles, as the start page names them.
    RolePractitioner => "medarbejder", "practitioner";
    /// ″
    RoleCoordinator => "koordinator", "coordinator";
    /// ″
    RoleTeamLead => "teamleder", "team lead";
    /// ″
    RoleCaseworker => "sagsbehandler", "caseworker";
    /// ″
    RoleAdmin => "administrator", "administrator";
    /// ″
    RoleParent => "forælder", "parent";
    /// ″
    RoleYoungPerson => "ung", "young person";
}

impl Text {
    /// The wording in a language.
    pub fn get(self, lang: Lang) -> &'static str {
        let (da, en) = self.both();
        match lang {
            Lang::Da => da,
            Lang::En => en,
        }
    }
}

/// The name of the cookie that keeps the language chosen with `?lang=`.
pub const LANG_COOKIE: &str = "samvirke_lang";

/// A language by its tag (`da`, `en`); `None` for any other.
pub fn parse_lang(tag: &str) -> Option<Lang> {
    match tag.trim() {
        "da" => Some(Lang::Da),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// A page's language: the query's `lang` if it names one, else the
/// [`LANG_COOKIE`], else the browser's `Accept-Language`, else Danish.
pub fn choose_lang(query: Option<&str>, cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    query
        .and_then(parse_lang)
        .or_else(|| cookie.and_then(parse_lang))
        .unwrap_or_else(|| Lang::from_accept_language(accept_language))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where keys are used: the templates and the code that fills them.
    const USERS: &[&str] = &[
        include_str!("../templates/base.html"),
        include_str!("../templates/sign_in.html"),
        include_str!("../templates/start.html"),
        include_str!("pages.rs"),
    ];

    #[test]
    fn every_key_has_both_languages() {
        for key in Text::ALL {
            let (da, en) = key.both();
            assert!(!da.trim().is_empty(), "{key:?} has no Danish");
            assert!(!en.trim().is_empty(), "{key:?} has no English");
        }
    }

    #[test]
    fn every_key_is_used() {
        for key in Text::ALL {
            let name = format!("Text::{key:?}");
            let used = USERS.iter().any(|source| {
                source.match_indices(&name).any(|(at, _)| {
                    !source[at + name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                })
            });
            assert!(used, "{name} is in the catalogue but no page uses it");
        }
    }

    #[test]
    fn the_query_wins_over_the_cookie_and_the_cookie_over_the_browser() {
        assert_eq!(choose_lang(Some("en"), Some("da"), Some("da")), Lang::En);
        assert_eq!(choose_lang(Some("xx"), Some("en"), Some("da")), Lang::En);
        assert_eq!(choose_lang(None, None, Some("en-GB,en;q=0.8")), Lang::En);
        assert_eq!(choose_lang(None, None, None), Lang::Da);
    }
}
