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
    /// The sign-out button.
    SignOut => "Log ud", "Sign out";
    /// The label of the main navigation.
    MainNavigation => "Hovedmenu", "Main menu";
    /// Navigation: the coordinator's overview.
    NavOverview => "Overblik", "Overview";
    /// Navigation: a practitioner's day.
    NavMyDay => "Min dag", "My day";
    /// Navigation: the week calendar of a room or a practitioner.
    NavCalendar => "Kalender", "Calendar";
    /// The error page's heading.
    ErrorTitle => "Det kunne ikke lade sig gøre", "That could not be done";
    /// Back to the start page.
    BackToStart => "Til forsiden", "To the start page";
    /// The heading of a rule's explanation.
    RuleBlocks => "Reglerne tillader det ikke", "The rules do not allow it";
    /// Before the way forward of a rule.
    WayForward => "Det kan du gøre", "What you can do";
    /// The heading of a form's error summary.
    FormHasErrors => "Formularen skal rettes", "The form needs correcting";
    /// The overview's title.
    OverviewTitle => "Overblik", "Overview";
    /// The heading of the overview's counts (for screen readers).
    AtAGlance => "Hvad der venter", "What is waiting";
    /// Column: the child.
    ColChild => "Barn", "Child";
    /// Column: what a line is.
    ColWhat => "Hvad", "What";
    /// Overview: new orders.
    NewOrders => "Nye bestillinger", "New orders";
    /// ″ empty.
    NoNewOrders => "Ingen nye bestillinger.", "No new orders.";
    /// Column: when an order arrived.
    ColReceived => "Modtaget", "Received";
    /// Column: the ordering municipality.
    ColMunicipality => "Kommune", "Municipality";
    /// Overview: visits without a practitioner.
    UnassignedVisits => "Besøg uden medarbejder (14 dage)", "Visits without a practitioner (14 days)";
    /// ″ empty.
    NoUnassigned => "Alle besøg de næste 14 dage har en medarbejder.", "Every visit in the next 14 days has a practitioner.";
    /// Column: when.
    ColWhen => "Hvornår", "When";
    /// Column: where.
    ColPlace => "Hvor", "Where";
    /// Overview: missing consents.
    MissingConsents => "Manglende samtykker", "Missing consents";
    /// ″ empty.
    NoMissingConsents => "Ingen forløb mangler samtykke.", "No course lacks a consent.";
    /// Column: who must consent.
    ColWhoMustConsent => "Hvem skal give samtykke", "Who must consent";
    /// Column: the section of the law.
    ColSection => "Lovgrundlag", "Legal basis";
    /// Overview: decisions about to expire.
    ExpiringDecisions => "Afgørelser der udløber snart", "Decisions expiring soon";
    /// ″ empty.
    NoExpiring => "Ingen afgørelser om overvåget samvær udløber snart.", "No decision on supervised visitation expires soon.";
    /// Column: when a decision ends.
    ColEnds => "Udløber", "Expires";
    /// Column: the grounds.
    ColGrounds => "Grundlag", "Grounds";
    /// Overview: overdue documents.
    OverdueDocuments => "Skriftlige beskrivelser og breve over fristen", "Written descriptions and letters past their deadline";
    /// ″ empty.
    NoOverdue => "Intet er over fristen.", "Nothing is past its deadline.";
    /// Column: the deadline.
    ColDue => "Frist", "Deadline";
    /// Overview: hours near the ordered scope.
    HoursNearScope => "Timer tæt på det bevilgede", "Hours near the ordered scope";
    /// ″ empty.
    NoHoursNear => "Intet forløb har brugt 80 % af sine timer.", "No course has used 80% of its hours.";
    /// Column: hours used.
    ColUsed => "Brugt", "Used";
    /// Column: hours ordered.
    ColOrdered => "Bevilget", "Ordered";
    /// A practitioner's day: title.
    MyDayTitle => "Min dag", "My day";
    /// The label of the day navigation.
    OtherDays => "Andre dage", "Other days";
    /// The day before.
    PreviousDay => "← Dagen før", "← Day before";
    /// The day after.
    NextDay => "Dagen efter →", "Day after →";
    /// Back to today.
    Today => "I dag", "Today";
    /// A day without sessions.
    NoSessions => "Du har ingen aftaler denne dag.", "You have no appointments this day.";
    /// Label: the intervention.
    Intervention => "Indsats", "Intervention";
    /// Label: where.
    Where => "Sted", "Place";
    /// Label: how it went.
    Outcome => "Forløb", "Outcome";
    /// The button to record how an appointment went.
    RecordOutcome => "Registrér forløb og notat", "Record outcome and note";
    /// The button to open an appointment.
    OpenAppointment => "Se aftalen", "Open the appointment";
    /// Heading: staggered arrival.
    Staggered => "Forskudt ankomst og afgang", "Staggered arrival and departure";
    /// Heading: the order's conditions.
    Conditions => "Vilkår for samværet", "Conditions of the visit";
    /// The outcome was saved.
    OutcomeSaved => "Forløb og notat er gemt.", "Outcome and note are saved.";
    /// Label: the practitioners.
    Practitioners => "Medarbejdere", "Practitioners";
    /// No practitioner yet.
    NobodyAssigned => "Ingen endnu", "None yet";
    /// The outcome form's question.
    WhatHappened => "Hvad skete der?", "What happened?";
    /// Actual start.
    ActualStart => "Faktisk start", "Actual start";
    /// ″ hint.
    ActualHint => "Kun når aftalen blev holdt eller afbrudt. Tomt: som planlagt.", "Only when it was held or ended early. Empty: as planned.";
    /// Actual end.
    ActualEnd => "Faktisk slut", "Actual end";
    /// Who brought the child.
    BroughtBy => "Hvem kom med barnet", "Who brought the child";
    /// By whom.
    ByWhom => "Aflyst af, eller hvem udeblev", "Cancelled by, or who did not come";
    /// ″ hint.
    ByWhomHint => "Ved aflysning og udeblivelse.", "When cancelled or someone did not come.";
    /// Why.
    Reason => "Årsag", "Reason";
    /// ″ hint.
    ReasonHint => "Skal udfyldes, når samværet blev afbrudt.", "Required when the visit was ended early.";
    /// Incidents.
    Incidents => "Hændelser undervejs", "Incidents during the session";
    /// The session note.
    SessionNote => "Notat til journalen", "Note for the journal";
    /// ″ hint.
    SessionNoteHint => "Det vigtigste fra aftalen, skrevet så familien kan læse det.", "The main points of the session, written so the family can read them.";
    /// Save.
    SaveOutcome => "Gem forløb og notat", "Save outcome and note";
    /// The journal entries of an appointment.
    Notes => "Notater", "Notes";
    /// Back to the day.
    BackToMyDay => "Tilbage til min dag", "Back to my day";
    /// Outcome: held.
    OutcomeHeld => "Afholdt", "Held";
    /// Outcome: cancelled.
    OutcomeCancelled => "Aflyst", "Cancelled";
    /// Outcome: no-show.
    OutcomeNoShow => "Udeblivelse", "No-show";
    /// Outcome: ended early.
    OutcomeEndedEarly => "Afbrudt før tid", "Ended early";
    /// A party: the parent.
    PartyParent => "Forælder eller netværk", "Parent or network";
    /// ″ the child.
    PartyChild => "Barnet eller den unge", "The child or young person";
    /// ″ the placement setting.
    PartyPlacement => "Anbringelsesstedet", "The placement setting";
    /// ″ the municipality.
    PartyMunicipality => "Kommunen", "The municipality";
    /// ″ the provider.
    PartyProvider => "Os (leverandøren)", "Us (the provider)";
    /// A condition: length.
    CondDuration => "Varighed", "Length";
    /// ″ who may attend.
    CondMayAttend => "Må deltage", "May attend";
    /// ″ others.
    CondOthers => "Andre der må deltage", "Others who may attend";
    /// ″ topics.
    CondTopics => "Emner der ikke må tales om", "Topics not to raise";
    /// ″ food.
    CondFood => "Mad", "Food";
    /// ″ gifts.
    CondGifts => "Gaver", "Gifts";
    /// ″ phones.
    CondPhones => "Mobiltelefon", "Mobile phones";
    /// ″ photos.
    CondPhotos => "Fotografering", "Photos";
    /// ″ transport.
    CondTransport => "Transport", "Transport";
    /// ″ other.
    CondOther => "Andet", "Other";
    /// A permission.
    PermAllowed => "Tilladt", "Allowed";
    /// ″
    PermNotAllowed => "Ikke tilladt", "Not allowed";
    /// ″
    PermByAgreement => "Kun efter aftale med medarbejderen", "Only as agreed with the practitioner";
    /// Staggered: the parent arrives.
    ParentArrives => "Forælder kommer", "Parent arrives";
    /// ″
    ChildArrives => "Barnet kommer", "Child arrives";
    /// ″
    ChildLeaves => "Barnet går", "Child leaves";
    /// ″
    ParentLeaves => "Forælder går", "Parent leaves";
    /// A place: a room (name unknown).
    PlaceRoom => "Samværslokale", "Visitation room";
    /// ″ the family's home.
    PlaceFamilyHome => "Familiens hjem", "The family's home";
    /// ″ the placement setting.
    PlacePlacement => "Anbringelsesstedet", "The placement setting";
    /// A committee decision on supervised visitation.
    SupervisionDecision => "Afgørelse om overvåget samvær", "Decision on supervised visitation";
    /// A duty: a written description of a visit.
    DutyDescription => "Skriftlig beskrivelse af samvær", "Written description of a visit";
    /// A duty: a status letter.
    DutyStatusLetter => "Statusbrev", "Status letter";
    /// A duty: the closing letter.
    DutyClosingLetter => "Afsluttende statusbrev", "Closing letter";
    /// The calendar's title.
    CalendarTitle => "Kalender", "Calendar";
    /// The label of the calendar's choice of room or practitioner.
    CalendarOf => "Vis kalender for", "Show the calendar of";
    /// The group of rooms in that choice.
    Rooms => "Lokaler", "Rooms";
    /// The button that shows the chosen calendar.
    ShowCalendar => "Vis", "Show";
    /// The label of the week navigation.
    OtherWeeks => "Andre uger", "Other weeks";
    /// The week before.
    PreviousWeek => "← Ugen før", "← Week before";
    /// The week after.
    NextWeek => "Ugen efter →", "Week after →";
    /// Back to this week.
    ThisWeek => "Denne uge", "This week";
    /// An appointment the signed-in user may not read: only that the time is taken.
    Busy => "Optaget", "Busy";
    /// A day without appointments.
    NoAppointmentsDay => "Ingen aftaler", "No appointments";
    /// The link that opens an appointment's move form.
    Move => "Flyt", "Move";
    /// The heading of the form that plans an appointment.
    PlanAppointment => "Planlæg en aftale", "Plan an appointment";
    /// No order to plan for.
    NothingToPlan => "Der er ingen åbne bestillinger, du kan planlægge aftaler for.", "There are no open orders you can plan appointments for.";
    /// The order an appointment delivers.
    Order => "Bestilling", "Order";
    /// The kind of appointment.
    AppointmentKind => "Type aftale", "Kind of appointment";
    /// A select's empty choice.
    Choose => "Vælg", "Choose";
    /// The date.
    Date => "Dato", "Date";
    /// The start.
    Start => "Start", "Start";
    /// The end.
    End => "Slut", "End";
    /// A place: elsewhere.
    PlaceOther => "Andet sted", "Elsewhere";
    /// Where, when elsewhere.
    PlaceOtherText => "Hvor, når det er et andet sted", "Where, when elsewhere";
    /// The first practitioner.
    Practitioner => "Medarbejder", "Practitioner";
    /// The second practitioner.
    SecondPractitioner => "Medarbejder 2 (kan udelades)", "Second practitioner (optional)";
    /// No practitioner.
    Nobody => "Ingen", "None";
    /// The hint of the clash check.
    ConflictHint => "Når du vælger tid, sted og medarbejder, ser du her, om noget allerede er booket.", "As you choose time, place and practitioner, you see here whether anything is already booked.";
    /// Save a new appointment.
    SavePlan => "Gem aftalen", "Save the appointment";
    /// The heading of the move form.
    MoveAppointment => "Flyt aftalen", "Move the appointment";
    /// Save the move.
    SaveMove => "Gem flytningen", "Save the move";
    /// Leave the move form.
    CancelMove => "Fortryd", "Cancel";
    /// The heading of the clashes found.
    ConflictsHeading => "Tidspunktet er optaget", "The time is taken";
    /// No clash.
    NoConflicts => "Ingen konflikter", "No clashes";
    /// A room is taken: `{room}` and `{time}` are filled in.
    RoomTaken => "{room} er optaget {time}", "{room} is taken {time}";
    /// A practitioner is taken: `{name}` and `{time}` are filled in.
    PractitionerTaken => "{name} har en anden aftale {time}", "{name} has another appointment {time}";
    /// A new appointment was saved.
    AppointmentPlanned => "Aftalen er planlagt.", "The appointment is planned.";
    /// An appointment was moved.
    AppointmentMoved => "Aftalen er flyttet.", "The appointment is moved.";
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

impl From<&Text> for Text {
    fn from(t: &Text) -> Self {
        *t
    }
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
        include_str!("../templates/error.html"),
        include_str!("../templates/rule.html"),
        include_str!("../templates/errors.html"),
        include_str!("../templates/overview.html"),
        include_str!("../templates/my_day.html"),
        include_str!("../templates/conditions.html"),
        include_str!("../templates/appointment.html"),
        include_str!("../templates/calendar.html"),
        include_str!("../templates/conflicts.html"),
        include_str!("../templates/conflicts_refused.html"),
        include_str!("../templates/plan_fields.html"),
        include_str!("calendar.rs"),
        include_str!("pages.rs"),
        include_str!("layout.rs"),
        include_str!("work.rs"),
        // Texts the web crate picks for the pages (the overview's sections).
        include_str!("../../web/src/routes/pages/overview.rs"),
        include_str!("../../web/src/routes/pages/calendar.rs"),
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
