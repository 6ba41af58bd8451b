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
    /// Enrolling the app could not start.
    EnrolFailed => "Godkendelses-appen kunne ikke tilknyttes. Log ind igen.", "The authenticator app could not be enrolled. Sign in again.";
    /// The enrolment step's heading.
    EnrolHeading => "Tilknyt en godkendelses-app", "Enrol an authenticator app";
    /// ″ step 1.
    EnrolStep1 => "Åbn en godkendelses-app på din telefon, fx Microsoft Authenticator eller Google Authenticator.", "Open an authenticator app on your phone, e.g. Microsoft Authenticator or Google Authenticator.";
    /// ″ step 2.
    EnrolStep2 => "Scan QR-koden, eller skriv nøglen nedenfor ind i appen.", "Scan the QR code, or type the key below into the app.";
    /// ″ step 3.
    EnrolStep3 => "Skriv den 6-cifrede kode, som appen viser.", "Enter the 6-digit code the app shows.";
    /// ″ the QR code's label.
    EnrolQr => "QR-kode til godkendelses-appen", "QR code for the authenticator app";
    /// ″ the key.
    EnrolKey => "Nøgle:", "Key:";
    /// ″ button.
    EnrolButton => "Tilknyt appen", "Enrol the app";
    /// The recovery codes' heading.
    RecoveryHeading => "Dine gendannelseskoder", "Your recovery codes";
    /// ″ hint.
    RecoveryHint => "Gem dem et sikkert sted. Hver kode kan bruges én gang i stedet for appen. De vises kun nu.", "Keep them somewhere safe. Each code can be used once instead of the app. They are shown only now.";
    /// Continue.
    Continue => "Fortsæt", "Continue";
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
    /// Navigation: the planner.
    NavPlanning => "Planlægning", "Planning";
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
    /// A report: where it is in the workflow.
    DocState => "Status", "Status";
    /// A report: the visit it describes.
    DocVisit => "Samværet", "The visit";
    /// A report: its version.
    DocVersion => "Version", "Version";
    /// A report: when it was sent.
    DocSent => "Sendt", "Sent";
    /// A report: when the family read it.
    DocFamilyRead => "Familien har læst den", "The family read it";
    /// A report: its text.
    DocText => "Tekst", "Text";
    /// Save a new version.
    DocSaveVersion => "Gem ny version", "Save a new version";
    /// The child's own views.
    DocChildViews => "Barnets egne synspunkter", "The child's own views";
    /// ″ hint.
    DocChildViewsHint => "Fra en samtale med barnet. Skal med i statusbreve om børn på 10 år og derover.", "From a conversation with the child. Required in status letters about children aged 10 or more.";
    /// The family's comment.
    DocFamilyComment => "Familiens kommentar", "The family's comment";
    /// The family's review.
    DocFamilyReview => "Familiens gennemlæsning", "The family's review";
    /// ″ what to do.
    DocFamilyReviewHint => "Registrér, når familien har læst beskrivelsen. Deres kommentar følger med, når den sendes.", "Record when the family has read it. Their comment travels with it when it is sent.";
    /// ″ hint of the comment.
    DocCommentHint => "Frivillig. Skriv familiens egne ord.", "Optional. Write the family's own words.";
    /// Record the review.
    DocRecordReview => "Familien har læst den", "The family has read it";
    /// The versions.
    DocVersions => "Versioner", "Versions";
    /// The title field.
    DocTitle => "Overskrift", "Title";
    /// The text field.
    DocBody => "Beskrivelse", "Description";
    /// ″ hint.
    DocBodyHint => "Skriv hvad der skete, så familien kan genkende det. Nævn aldrig en hemmelig adresse.", "Write what happened so that the family can recognise it. Never name a secret address.";
    /// A new written description.
    DocNewDescription => "Ny skriftlig beskrivelse af samvær", "New written description of a visit";
    /// Create it.
    DocCreate => "Opret kladde", "Create draft";
    /// Write a description of this visit.
    DocWriteDescription => "Skriv samværsbeskrivelse", "Write a description of the visit";
    /// Open the description of this visit.
    DocOpenDescription => "Se samværsbeskrivelsen", "Open the description of the visit";
    /// Step: submit for review.
    StepSubmit => "Send til godkendelse", "Submit for review";
    /// Step: return.
    StepReturn => "Send tilbage til skribenten", "Return to the author";
    /// Step: approve.
    StepApprove => "Godkend til familiens gennemlæsning", "Approve for the family's review";
    /// Step: send.
    StepSend => "Send til sagsbehandleren", "Send to the caseworker";
    /// Step: archive.
    StepArchive => "Arkivér", "Archive";
    /// Notice: a new draft.
    NoticeCreated => "Kladden er oprettet.", "The draft is created.";
    /// Notice: saved.
    NoticeSaved => "Den nye version er gemt.", "The new version is saved.";
    /// Notice: a step was taken.
    NoticeStep => "Beskrivelsen er flyttet videre.", "The report has moved on.";
    /// Notice: the review was recorded.
    NoticeReviewed => "Familiens gennemlæsning er registreret.", "The family's review is recorded.";
    /// Notice: sent.
    NoticeSent => "Sendt til sagsbehandleren.", "Sent to the caseworker.";
    /// Navigation: the caseworker's orders.
    NavOrders => "Bestillinger", "Orders";
    /// The orders page.
    OrdersTitle => "Bestillinger", "Orders";
    /// Order a new intervention.
    OrderNew => "Bestil en indsats", "Order an intervention";
    /// Reports that arrived.
    OrdersArrived => "Modtagne beskrivelser og statusbreve (60 dage)", "Descriptions and status letters received (60 days)";
    /// ″ none.
    OrdersNoneArrived => "Der er ikke modtaget noget endnu.", "Nothing has arrived yet.";
    /// Column: the provider.
    OrdersProvider => "Leverandør", "Provider";
    /// Meetings planned.
    OrdersMeetings => "Planlagte møder (60 dage)", "Meetings planned (60 days)";
    /// ″ none.
    OrdersNoMeetings => "Ingen møder er planlagt.", "No meetings are planned.";
    /// Every order.
    OrdersAll => "Mine igangværende bestillinger", "My running orders";
    /// ″ none.
    OrdersNone => "Du har ingen bestillinger.", "You have no orders.";
    /// Column: the period.
    OrdersPeriod => "Periode", "Period";
    /// The order form: the case.
    OrderCase => "Barnet (sagen)", "The child (the case)";
    /// Work goals.
    OrderGoals => "Arbejdsmål", "Work goals";
    /// One per line.
    OnePerLine => "Ét pr. linje.", "One per line.";
    /// First day.
    OrderStart => "Første dag", "First day";
    /// Last day.
    OrderEnd => "Sidste dag", "Last day";
    /// Hours.
    OrderHours => "Bevilgede timer i perioden", "Hours ordered for the period";
    /// Frequency.
    OrderFrequency => "Hvor ofte", "How often";
    /// Sessions.
    OrderSessions => "Antal gange", "Number of sessions";
    /// Weeks.
    OrderWeeks => "pr. antal uger", "per number of weeks";
    /// The conditions: hint.
    OrderConditionsHint => "Kun ved støttet og overvåget samvær (Barnets lov § 104, stk. 2).", "Only for supported and supervised visitation (Barnets lov § 104(2)).";
    /// Length of a visit.
    OrderDuration => "Varighed af hvert samvær (minutter)", "Length of each visit (minutes)";
    /// The recurrence of visits.
    OrderRecurrence => "Fast tidspunkt", "Fixed time";
    /// ″ hint.
    OrderRecurrenceHint => "Udfyld, når samværet ligger fast, fx hver anden lørdag kl. 10–12.", "Fill in when the visits are fixed, e.g. every other Saturday 10–12.";
    /// ″ weekday.
    OrderWeekday => "Ugedag", "Weekday";
    /// ″ interval.
    OrderInterval => "Hver hvor mange uger", "Every how many weeks";
    /// Notes.
    OrderNotes => "Andet til leverandøren", "Anything else for the provider";
    /// Send the order.
    OrderSend => "Send bestillingen", "Send the order";
    /// Notice: ordered.
    NoticeOrdered => "Bestillingen er sendt til leverandøren.", "The order is sent to the provider.";
    /// Accepting.
    AcceptHeading => "Tag imod bestillingen", "Accept the order";
    /// ″ coordinator.
    AcceptCoordinator => "Koordinator", "Coordinator";
    /// ″ practitioner.
    AcceptPractitioner => "Fast medarbejder for familien", "The family's usual practitioner";
    /// ″ hint.
    AcceptPractitionerHint => "Familien har det bedst med den samme medarbejder hver gang.", "Families do best with the same practitioner every time.";
    /// ″ second.
    AcceptSecond => "Anden medarbejder (når der er bestilt to)", "Second practitioner (when two are ordered)";
    /// ″ button.
    AcceptButton => "Tag imod", "Accept";
    /// Notice: accepted.
    NoticeAccepted => "Bestillingen er modtaget, og medarbejderen er tildelt.", "The order is accepted and the practitioner assigned.";
    /// Planning.
    PlanHeading => "Planlæg en aftale", "Plan an appointment";
    /// ″ kind.
    PlanKind => "Slags aftale", "Kind of appointment";
    /// ″ day.
    PlanDate => "Dag", "Day";
    /// ″ start.
    PlanStart => "Starttid", "Start time";
    /// ″ end.
    PlanEnd => "Sluttid", "End time";
    /// ″ button.
    PlanButton => "Planlæg", "Plan";
    /// Notice: planned.
    NoticePlanned => "Aftalen er planlagt.", "The appointment is planned.";
    /// A referral's appointments.
    ReferralAppointments => "Kommende aftaler", "Appointments ahead";
    /// ″ none.
    ReferralNoAppointments => "Ingen aftaler er planlagt.", "No appointments are planned.";
    /// A referral's reports.
    ReferralDocuments => "Beskrivelser og statusbreve", "Descriptions and status letters";
    /// ″ none.
    ReferralNoDocuments => "Ingen endnu.", "None yet.";
    /// The versions of an order.
    ReferralVersions => "Bestillingens versioner", "Versions of the order";
    /// Terms: period.
    TermPeriod => "Periode", "Period";
    /// Terms: hours.
    TermHours => "Timer (brugt af bevilget)", "Hours (used of ordered)";
    /// Terms: frequency.
    TermFrequency => "Hyppighed", "Frequency";
    /// The parent action plan.
    PlanTitle => "Forældrehandleplan", "Parent action plan";
    /// ″ phase.
    PlanPhase => "Fase", "Phase";
    /// ″ phases so far.
    PlanPhases => "Faser", "Phases";
    /// ″ from (a date).
    PlanFrom => "fra", "from";
    /// ″ goals.
    PlanGoals => "Mål", "Goals";
    /// ″ a goal.
    PlanGoal => "Mål", "Goal";
    /// ″ hint.
    PlanGoalHint => "Få og konkrete mål, med forældrenes egne ord.", "Few and concrete goals, in the parents' own words.";
    /// ″ motivation.
    PlanMotivation => "Hvorfor det betyder noget for forældrene", "Why it matters to the parents";
    /// ″ done.
    PlanDone => "Udført", "Done";
    /// ″ resources.
    PlanResources => "Ressourcer og netværk", "Resources and network";
    /// ″ progress.
    PlanProgress => "Udvikling over tid", "Progress over time";
    /// ″ caption.
    PlanProgressCaption => "Forældrenes vurdering af hvert mål fra 0 til 10 ved hver opfølgning", "The parents' rating of each goal from 0 to 10 at each review";
    /// ″ now.
    PlanNow => "Seneste", "Latest";
    /// ″ no reviews.
    PlanNoReviews => "Der er ikke holdt opfølgning endnu.", "No review has been held yet.";
    /// ″ add a review.
    PlanAddReview => "Registrér opfølgning", "Record a review";
    /// ″ the review's date.
    PlanReviewDate => "Dato for opfølgningen", "Date of the review";
    /// ″ score hint.
    PlanScoreHint => "0 (ikke begyndt) til 10 (nået).", "0 (not started) to 10 (reached).";
    /// ″ review note.
    PlanReviewNote => "Noter fra opfølgningen", "Notes from the review";
    /// ″ save the review.
    PlanSaveReview => "Gem opfølgning", "Save the review";
    /// ″ add a goal.
    PlanAddGoal => "Tilføj et mål", "Add a goal";
    /// ″ save the goal.
    PlanSaveGoal => "Gem målet", "Save the goal";
    /// ″ change phase.
    PlanChangePhase => "Skift fase", "Change phase";
    /// ″ save the phase.
    PlanSavePhase => "Gem fasen", "Save the phase";
    /// ″ start.
    PlanStartTitle => "Start forældrehandleplanen", "Start the parent action plan";
    /// ″ start hint.
    PlanStartHint => "Planen formuleres sammen med forældrene og begynder i opstartsfasen.", "The plan is written with the parents and begins in the start phase.";
    /// ″ create.
    PlanCreate => "Opret planen", "Create the plan";
    /// ″ an action.
    PlanAction => "Første handling", "First action";
    /// ″ who.
    PlanWho => "Hvem gør det", "Who does it";
    /// ″ by when.
    PlanDue => "Hvornår", "By when";
    /// ″ notice.
    NoticePlanSaved => "Handleplanen er opdateret.", "The action plan is updated.";
    /// A goal's status: open.
    GoalOpen => "I gang", "In progress";
    /// ″ achieved.
    GoalAchieved => "Nået", "Achieved";
    /// ″ dropped.
    GoalDropped => "Lagt til side", "Set aside";
    /// Focus areas.
    FocusTitle => "Fokusområder", "Focus areas";
    /// ″ none.
    FocusNone => "Der er ikke valgt fokusområder endnu.", "No focus areas are chosen yet.";
    /// ″ an area.
    FocusArea => "Fokusområde", "Focus area";
    /// ″ note.
    FocusNote => "Hvad er aftalt med den unge", "What is agreed with the young person";
    /// ″ add.
    FocusAdd => "Tilføj fokusområde", "Add a focus area";
    /// ″ notice.
    NoticeFocusAdded => "Fokusområdet er tilføjet.", "The focus area is added.";
    /// ″ since.
    FocusSince => "siden", "since";
    /// Navigation and title: the courses.
    CoursesTitle => "Forløb", "Courses";
    /// ″ the filter.
    CoursesFilter => "Vis forløb med indsatsen", "Show courses of the intervention";
    /// ″ every intervention.
    CoursesAll => "Alle", "All";
    /// ″ none.
    CoursesNone => "Ingen forløb.", "No courses.";
    /// A course's methods.
    CourseMethods => "Metoder i forløbet", "Methods of the course";
    /// Sessions held.
    CourseHeld => "Afholdte aftaler", "Sessions held";
    /// Weeks, after a number.
    Weeks => "uger", "weeks";
    /// Terms: practitioners.
    TermPractitioners => "Medarbejdere", "Practitioners";
    /// A series of visits.
    SeriesHeading => "Planlæg samværsforløbet", "Plan the visits as a series";
    /// ″ intro.
    SeriesIntro => "Samværene planlægges efter bestillingen:", "The visits are planned as the order says:";
    /// ″ every (interval).
    SeriesEvery => "hver", "every";
    /// ″ week(s).
    SeriesWeek => "uge", "week";
    /// ″ at (a time).
    SeriesAt => "kl.", "at";
    /// ″ from.
    SeriesFrom => "Fra og med", "From";
    /// ″ to.
    SeriesTo => "Til og med", "To";
    /// ″ the visits.
    SeriesVisits => "Samvær der planlægges", "Visits to be planned";
    /// ″ none.
    SeriesNone => "Ingen dage i perioden.", "No days in the period.";
    /// ″ skipped.
    SeriesSkipped => "Dage der springes over", "Days skipped";
    /// ″ a holiday.
    SeriesHoliday => "helligdag", "public holiday";
    /// ″ preview.
    SeriesPreview => "Vis forslag", "Show the proposal";
    /// ″ plan.
    SeriesPlan => "Planlæg samværene", "Plan the visits";
    /// ″ notice.
    NoticeSeries => "Samværene er planlagt.", "The visits are planned.";
    /// A place: the provider's premises.
    PlaceProviderPremises => "Leverandørens samværslokaler", "The provider's visitation rooms";
    /// ″ the parent's home.
    PlaceParentsHome => "Samværsforælderens hjem", "The visiting parent's home";
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
    /// The planner's page.
    PlanningTitle => "Planlægning", "Planning";
    /// What the planner does.
    PlanningLead => "Få et forslag til, hvem der tager hvilke aftaler i hvilke lokaler, så familierne så vidt muligt møder deres faste medarbejder. Forslaget ændrer kun det, der gør planen bedre, og intet gemmes, før du godkender.", "Get a proposal for who takes which appointments in which rooms, so that families meet their usual practitioner wherever possible. The proposal only changes what makes the plan better, and nothing is saved until you accept.";
    /// The choice of horizon.
    PlanHorizon => "Periode", "Period";
    /// Horizon: next week.
    PlanNextWeek => "Næste uge", "Next week";
    /// Horizon: next month.
    PlanNextMonth => "Næste måned", "Next month";
    /// Asks for a proposal.
    PlanPropose => "Lav forslag", "Make a proposal";
    /// The navigation between periods.
    PlanOtherPeriods => "Andre perioder", "Other periods";
    /// The previous period.
    PlanPrevious => "Forrige periode", "Previous period";
    /// The next period.
    PlanNext => "Næste periode", "Next period";
    /// How much the planner planned: `{sessions}`, `{fixed}`, `{took}`.
    PlanScope => "{sessions} aftaler er planlagt på ny, {fixed} står fast (afholdt, i gang eller bemandet af andre end medarbejdere). Planlæggeren brugte {took}.", "{sessions} appointments were planned anew, {fixed} stay as they are (held, under way or staffed by others than practitioners). The planner took {took}.";
    /// The table of measures.
    PlanMeasures => "Planen nu og forslaget", "The plan now and the proposal";
    /// Column: the measure.
    PlanMeasure => "Mål", "Measure";
    /// Column: the plan as it stands.
    ScheduleNow => "Nu", "Now";
    /// Column: the proposal.
    PlanProposal => "Forslag", "Proposal";
    /// Measure: appointments without the staff they need.
    PlanUnstaffed => "Aftaler uden den bemanding, de skal have", "Appointments without the staff they need";
    /// Measure: share with the usual practitioner.
    PlanUsualShare => "Med familiens faste medarbejder", "With the family's usual practitioner";
    /// Measure: hours on hourly staff.
    PlanHourlyHours => "Timer på timelønnede", "Hours on hourly staff";
    /// Measure: room changes per family.
    PlanRoomChanges => "Lokaleskift pr. familie", "Room changes per family";
    /// Measure: travel hours.
    PlanTravel => "Transporttid (timer)", "Travel (hours)";
    /// Measure: rule problems.
    PlanRuleProblems => "Brud på planlægningsreglerne", "Breaches of the planning rules";
    /// The problems of the current plan.
    PlanProblemsNow => "Planen, som den står nu, har problemer:", "The plan as it stands has problems:";
    /// The changes.
    PlanChanges => "Ændringer i forslaget", "Changes in the proposal";
    /// No changes.
    PlanNoChanges => "Planen er allerede den bedste, planlæggeren kan finde. Der er intet at ændre.", "The plan is already the best the planner can find. There is nothing to change.";
    /// Column: accept this change.
    PlanAccept => "Godkend", "Accept";
    /// Column: what.
    PlanWhat => "Aftale", "Appointment";
    /// The hint under the changes.
    PlanAcceptHint => "Fjern fluebenet ved de ændringer, du ikke vil have. Ændringer, der hænger sammen, skal godkendes sammen.", "Untick the changes you do not want. Changes that depend on each other must be accepted together.";
    /// Accepts the ticked changes.
    PlanAcceptTicked => "Godkend de valgte ændringer", "Accept the ticked changes";
    /// After accepting: `{n}`.
    PlanAccepted => "{n} ændringer er gemt. Medarbejdernes kalendere er opdateret.", "{n} changes were saved. The practitioners' calendars are updated.";
    /// The heading of a refusal.
    PlanRefused => "Ændringerne blev ikke gemt", "The changes were not saved";
    /// Nobody could take an appointment.
    PlanNobody => "Ingen ledig medarbejder", "No practitioner free";
    /// The appointments nobody can take.
    PlanNobodyFree => "Ingen ledig medarbejder kan tage disse aftaler. Registrér en vagt, eller flyt aftalen:", "No free practitioner can take these appointments. Register a shift, or move the appointment:";
    /// Nobody on an appointment now.
    PlanNoOne => "Ingen", "No one";
    /// Refusal: the proposal is out of date.
    PlanStale => "Planen er ændret, siden forslaget blev lavet. Lav et nyt forslag.", "The plan has changed since the proposal was made. Make a new proposal.";
    /// Refusal: nothing ticked.
    PlanNothingTicked => "Du har ikke valgt nogen ændringer.", "You have not ticked any changes.";
    /// Refusal: changes that belong together: `{a}`, `{b}`.
    PlanTogether => "Ændringen for {a} kan kun godkendes sammen med ændringen for {b}.", "The change for {a} can only be accepted together with the change for {b}.";
    /// Refusal: a rule the ticked changes would break: `{what}`.
    PlanBreaks => "De valgte ændringer ville bryde en planlægningsregel: {what}.", "The ticked changes would break a planning rule: {what}.";
    /// A practitioner booked twice: `{who}`, `{a}`, `{b}`.
    PlanDoubleBooked => "{who} er sat på både {a} og {b}", "{who} is on both {a} and {b}";
    /// A room booked twice: `{room}`, `{a}`, `{b}`.
    PlanRoomTwice => "{room} er brugt til både {a} og {b}", "{room} is used for both {a} and {b}";
    /// A practitioner not available: `{who}`, `{a}`.
    PlanNotAvailable => "{who} er ikke til rådighed til {a} (fravær, uden for arbejdstid eller udbudte vagter)", "{who} is not available for {a} (absent, outside working hours or offered shifts)";
    /// A room closed: `{room}`, `{a}`.
    PlanRoomClosed => "{room} er lukket til {a}", "{room} is closed for {a}";
    /// An untrained practitioner on a supervised visit: `{who}`, `{a}`.
    PlanUntrained => "{who} er ikke uddannet til overvåget samvær ({a})", "{who} is not trained for supervised visitation ({a})";
    /// Wrong number of practitioners: `{a}`.
    PlanStaffing => "{a} har ikke det antal medarbejdere, bestillingen kræver", "{a} does not have the number of practitioners the order requires";
    /// Rest too short: `{who}`.
    PlanRest => "{who} får mindre end 11 timers hvile mellem to arbejdsdage (arbejdsmiljølovens § 50)", "{who} gets less than 11 hours' rest between two working days (Arbejdsmiljøloven § 50)";
    /// Weekly limit: `{who}`.
    PlanWeekly => "{who} planlægges ud over sin ugentlige grænse", "{who} is planned beyond their weekly limit";
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
    /// The calendar feed's page.
    FeedTitle => "Din kalender i telefonen", "Your calendar on your phone";
    /// ″ what it is.
    FeedIntro => "Abonnér på dine aftaler i telefonens kalender. Kalenderen viser tid, sted og sagsnummer – ingen navne eller andre oplysninger om familierne.", "Subscribe to your appointments in your phone's calendar. It shows time, place and case number – no names or other details of the families.";
    /// ″ the link is secret.
    FeedSecret => "Linket er personligt og hemmeligt. Laver du et nyt, holder det gamle op med at virke.", "The link is personal and secret. If you make a new one, the old one stops working.";
    /// ″ button.
    FeedNew => "Lav et nyt kalenderlink", "Make a new calendar link";
    /// ″ the link.
    FeedLink => "Dit kalenderlink (vises kun nu)", "Your calendar link (shown only now)";
    /// ″ how to add it.
    FeedHow => "Tilføj det i telefonens kalender som et abonnement (fx «Tilføj kalender» → «Fra internettet»).", "Add it in your phone's calendar as a subscription (e.g. «Add calendar» → «From the internet»).";
    /// ″ the calendar's name.
    FeedName => "Samvirke – mine aftaler", "Samvirke – my appointments";
    /// ″ case (before its reference).
    FeedCase => "sag", "case";
    /// ″ the link from my day.
    FeedOpen => "Se dine aftaler i telefonens kalender", "See your appointments in your phone's calendar";
    /// The reset page's title.
    ResetTitle => "Ny adgangskode", "New password";
    /// ″ what to do.
    ResetIntro => "Vælg en ny adgangskode til din konto. Linket virker én gang.", "Choose a new password for your account. The link works once.";
    /// ″ the link.
    ResetLink => "Linket", "The link";
    /// ″ the new password.
    ResetNew => "Ny adgangskode", "New password";
    /// ″ hint.
    ResetHint => "Mindst 12 tegn. Flere ord er lette at huske og svære at gætte.", "At least 12 characters. Several words are easy to remember and hard to guess.";
    /// ″ again.
    ResetRepeat => "Gentag adgangskoden", "Repeat the password";
    /// ″ the two differ.
    ResetMismatch => "De to adgangskoder er ikke ens.", "The two passwords differ.";
    /// ″ button.
    ResetButton => "Skift adgangskode", "Change the password";
    /// ″ done.
    ResetDone => "Din adgangskode er skiftet. Du er logget ud alle steder; log ind med den nye.", "Your password is changed. You are signed out everywhere; sign in with the new one.";
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

impl From<&&Text> for Text {
    fn from(t: &&Text) -> Self {
        **t
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
        include_str!("documents.rs"),
        include_str!("orders.rs"),
        include_str!("../templates/orders.html"),
        include_str!("../templates/order_form.html"),
        include_str!("../templates/referral.html"),
        include_str!("../templates/rows.html"),
        include_str!("../templates/course.html"),
        include_str!("../templates/goal_fields.html"),
        include_str!("../templates/courses.html"),
        include_str!("../templates/reset_password.html"),
        include_str!("../templates/calendar_feed.html"),
        include_str!("../../web/src/routes/pages/feed.rs"),
        include_str!("../../web/src/routes/pages/reset.rs"),
        include_str!("../../web/src/routes/pages/orders.rs"),
        include_str!("../../web/src/routes/pages/courses.rs"),
        include_str!("../templates/document.html"),
        include_str!("../templates/report_fields.html"),
        include_str!("../templates/new_description.html"),
        include_str!("../../web/src/routes/pages/documents.rs"),
        include_str!("../../web/src/routes/pages/appointment.rs"),
        // Texts the web crate picks for the pages (the overview's sections).
        include_str!("../../web/src/routes/pages/overview.rs"),
        include_str!("../../web/src/routes/pages/calendar.rs"),
        include_str!("planning.rs"),
        include_str!("../templates/planning.html"),
        include_str!("../../web/src/routes/pages/planning.rs"),
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
