//! The rules Samvirke enforces, each named once with its basis in the law
//! (or in the provider's procedure where the law leaves it to practice), a
//! statement in Danish and English, the way forward when it blocks, and the
//! tests that protect it. `docs/RULES.md` is generated from this table and a
//! test keeps it true.
//!
//! A rule that blocks an action returns a [`RuleViolation`]: the rule, and a
//! detail that says what in this case broke it. The web layer turns it into
//! a 409 answer with [`RuleViolation::explain`]; it never words a rule itself.

use crate::law::{LegalRef, sections::*};
use crate::{Lang, Localized};
use serde::Serialize;
use utoipa::ToSchema;

/// A rule of the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A referral moves only along its lifecycle.
    ReferralLifecycle,
    /// Accepting assigns a coordinator and the ordered number of practitioners.
    AcceptNeedsAssignment,
    /// A rejection states its reason.
    RejectionNeedsReason,
    /// An order states its purpose, whom the support is aimed at, and its work goals.
    OrderStatesPurpose,
    /// Terms change only while the referral is open, as a new version.
    TermsChangeAsNewVersion,
    /// A referral closes only after its closing letter is sent.
    ClosingLetterBeforeClosing,
    /// Supported visitation needs the custody holder's consent.
    CustodyHolderConsentToVisitation,
    /// From 15, the young person's own consent to supported visitation.
    #[serde(rename = "young_person_consent_from_15")]
    YoungPersonConsentFrom15,
    /// The visiting parent's consent is a precondition of supported visitation.
    VisitingParentConsent,
    /// § 32 measures need the custody holder's consent.
    #[serde(rename = "custody_holder_consent_to_section_32")]
    CustodyHolderConsentToSection32,
    /// The parent programme is voluntary: the parents taking part consent.
    ParentProgrammeVoluntary,
    /// Sharing with the placement setting needs the parents' consent.
    SharingWithPlacementConsent,
    /// A withdrawal takes effect from its moment and rewrites nothing earlier.
    WithdrawalFromItsMoment,
    /// Supervised visits only inside a committee decision period.
    SupervisedVisitNeedsDecision,
    /// Supported visitation never replaces supervised visitation.
    SupportedCannotReplaceSupervised,
    /// No visits while contact is cut off by the committee.
    NoVisitsWhileContactCutOff,
    /// The coordinator is warned before a committee decision expires.
    DecisionExpiryWarning,
    /// No visits while visitation is suspended.
    NoVisitsWhileSuspended,
    /// A suspension lasts at most 8 weeks.
    #[serde(rename = "suspension_at_most_8_weeks")]
    SuspensionAtMost8Weeks,
    /// Appointments only while the referral is open and inside its period.
    AppointmentInsideOrder,
    /// An outcome is recorded only once the appointment has begun.
    OutcomeAfterStart,
    /// A recorded appointment is not moved or deleted.
    RecordedAppointmentIsFinal,
    /// A written description after every supervised visit, within working days.
    DescriptionAfterSupervisedVisit,
    /// Supported-visitation descriptions only with the parents' consent.
    DescriptionNeedsConsent,
    /// Status letters follow the provider's cadence.
    StatusLetterCadence,
    /// From 10, the child's own views in every status and closing letter.
    #[serde(rename = "child_views_from_10")]
    ChildViewsFrom10,
    /// A written report moves only along its workflow.
    ReportWorkflow,
    /// The family reads a report before it is sent.
    FamilyReviewBeforeSending,
    /// A sent report is never changed; a correction is a new report.
    SentReportIsFinal,
    /// A secret placement address never reaches a parent.
    SecretAddressNeverToParents,
}

/// Everything said about one rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// Stable code, used in the API.
    pub code: &'static str,
    /// The sections of the law it rests on; empty where it is the provider's procedure.
    pub sections: &'static [LegalRef],
    /// What the rule says.
    pub statement: Localized,
    /// What the user can do when it blocks.
    pub way_forward: Localized,
    /// The tests that protect it (function names in this repository).
    pub protected_by: &'static [&'static str],
}

const PROCEDURE: &[LegalRef] = &[];

impl Rule {
    /// Every rule, in the order of `docs/RULES.md`.
    pub const ALL: [Rule; 30] = [
        Rule::ReferralLifecycle,
        Rule::AcceptNeedsAssignment,
        Rule::RejectionNeedsReason,
        Rule::OrderStatesPurpose,
        Rule::TermsChangeAsNewVersion,
        Rule::ClosingLetterBeforeClosing,
        Rule::CustodyHolderConsentToVisitation,
        Rule::YoungPersonConsentFrom15,
        Rule::VisitingParentConsent,
        Rule::CustodyHolderConsentToSection32,
        Rule::ParentProgrammeVoluntary,
        Rule::SharingWithPlacementConsent,
        Rule::WithdrawalFromItsMoment,
        Rule::SupervisedVisitNeedsDecision,
        Rule::SupportedCannotReplaceSupervised,
        Rule::NoVisitsWhileContactCutOff,
        Rule::DecisionExpiryWarning,
        Rule::NoVisitsWhileSuspended,
        Rule::SuspensionAtMost8Weeks,
        Rule::AppointmentInsideOrder,
        Rule::OutcomeAfterStart,
        Rule::RecordedAppointmentIsFinal,
        Rule::DescriptionAfterSupervisedVisit,
        Rule::DescriptionNeedsConsent,
        Rule::StatusLetterCadence,
        Rule::ChildViewsFrom10,
        Rule::ReportWorkflow,
        Rule::FamilyReviewBeforeSending,
        Rule::SentReportIsFinal,
        Rule::SecretAddressNeverToParents,
    ];

    /// The rule's code, sections, statement, way forward and tests.
    pub fn info(self) -> RuleInfo {
        use Rule::*;
        let l = Localized::new;
        match self {
            ReferralLifecycle => RuleInfo {
                code: "referral_lifecycle",
                sections: PROCEDURE,
                statement: l(
                    "En bestilling går fra modtaget til accepteret eller afvist, derefter aktiv, under afslutning og afsluttet. Den kan ikke springe et trin over eller gå tilbage.",
                    "A referral goes from received to accepted or rejected, then active, ending and closed. It cannot skip a step or go back.",
                ),
                way_forward: l(
                    "Vælg en af de handlinger, bestillingen tilbyder nu.",
                    "Choose one of the actions the referral offers now.",
                ),
                protected_by: &["referral_moves_only_along_its_lifecycle"],
            },
            AcceptNeedsAssignment => RuleInfo {
                code: "accept_needs_assignment",
                sections: PROCEDURE,
                statement: l(
                    "En bestilling accepteres med en koordinator og det antal medarbejdere, der er bestilt (to, når der er bestilt to).",
                    "A referral is accepted with a coordinator and the ordered number of practitioners (two when two are ordered).",
                ),
                way_forward: l("Tildel koordinator og medarbejdere.", "Assign a coordinator and practitioners."),
                protected_by: &["accepting_needs_a_coordinator_and_the_ordered_practitioners"],
            },
            RejectionNeedsReason => RuleInfo {
                code: "rejection_needs_reason",
                sections: PROCEDURE,
                statement: l(
                    "En afvisning af en bestilling skal begrundes over for sagsbehandleren.",
                    "A rejected referral states its reason to the caseworker.",
                ),
                way_forward: l("Skriv begrundelsen.", "Write the reason."),
                protected_by: &["rejecting_needs_a_reason"],
            },
            OrderStatesPurpose => RuleInfo {
                code: "order_states_purpose",
                sections: &[BL_32_3, BL_104_2],
                statement: l(
                    "En bestilling angiver formål og arbejdsmål, hvem støtten retter sig mod, og perioden. Ved støttet samvær skal det præcist fremgå, hvilken støtte der ønskes, og til hvem.",
                    "An order states its purpose and work goals, whom the support is aimed at, and the period. For supported visitation it states precisely what support is wanted and for whom.",
                ),
                way_forward: l(
                    "Angiv arbejdsmål og hvem støtten retter sig mod.",
                    "State the work goals and whom the support is aimed at.",
                ),
                protected_by: &["an_order_states_its_purpose_and_whom_it_is_aimed_at"],
            },
            TermsChangeAsNewVersion => RuleInfo {
                code: "terms_change_as_new_version",
                sections: &[BL_104_2],
                statement: l(
                    "En ændring af bestillingen (periode, timer, vilkår) er en ny version; historikken bevares. Ændringer kan kun ske, mens bestillingen er åben.",
                    "A change to an order (period, hours, conditions) is a new version; the history is kept. Changes are possible only while the referral is open.",
                ),
                way_forward: l("Bed sagsbehandleren om en ny bestilling.", "Ask the caseworker for a new referral."),
                protected_by: &["a_change_of_terms_is_a_new_version_while_open"],
            },
            ClosingLetterBeforeClosing => RuleInfo {
                code: "closing_letter_before_closing",
                sections: PROCEDURE,
                statement: l(
                    "Et forløb afsluttes først, når den afsluttende statusskrivelse er sendt til sagsbehandleren.",
                    "A course is closed only once its closing letter has been sent to the caseworker.",
                ),
                way_forward: l("Skriv og send den afsluttende statusskrivelse.", "Write and send the closing letter."),
                protected_by: &["closing_needs_the_closing_letter_sent"],
            },
            CustodyHolderConsentToVisitation => RuleInfo {
                code: "custody_holder_consent_to_visitation",
                sections: &[BL_104_3],
                statement: l(
                    "Støttet samvær kræver samtykke fra forældremyndighedsindehaveren, i kraft på tidspunktet for samværet.",
                    "Supported visitation needs the custody holder's consent, in force at the time of the visit.",
                ),
                way_forward: l("Registrér samtykket.", "Register the consent."),
                protected_by: &["supported_visitation_needs_the_custody_holders_consent"],
            },
            YoungPersonConsentFrom15 => RuleInfo {
                code: "young_person_consent_from_15",
                sections: &[BL_104_3],
                statement: l(
                    "Fra 15 år skal den unge selv give samtykke til støttet samvær. Alderen regnes på samværets dato, så et barn, der fylder 15 under forløbet, skal samtykke før første samvær efter fødselsdagen.",
                    "From 15 the young person gives their own consent to supported visitation. Age is computed on the date of each visit, so a child who turns 15 during the course consents before the first visit after the birthday.",
                ),
                way_forward: l("Registrér den unges samtykke.", "Register the young person's consent."),
                protected_by: &[
                    "the_15th_birthday_on_the_day_of_a_visit_needs_the_young_persons_consent",
                    "a_child_turning_15_during_a_course_consents_before_the_next_visit",
                ],
            },
            VisitingParentConsent => RuleInfo {
                code: "visiting_parent_consent",
                sections: &[BL_104_3],
                statement: l(
                    "Samværsforælderens samtykke er en forudsætning for støttet samvær.",
                    "The visiting parent's consent is a precondition of supported visitation.",
                ),
                way_forward: l("Registrér samværsforælderens samtykke.", "Register the visiting parent's consent."),
                protected_by: &["supported_visitation_needs_the_visiting_parents_consent"],
            },
            CustodyHolderConsentToSection32 => RuleInfo {
                code: "custody_holder_consent_to_section_32",
                sections: &[BL_32_2],
                statement: l(
                    "Praktisk pædagogisk støtte i hjemmet og fast kontaktperson kræver samtykke fra forældremyndighedsindehaveren.",
                    "Home support and a fixed contact person need the custody holder's consent.",
                ),
                way_forward: l("Registrér samtykket.", "Register the consent."),
                protected_by: &["section_32_measures_need_the_custody_holders_consent"],
            },
            ParentProgrammeVoluntary => RuleInfo {
                code: "parent_programme_voluntary",
                sections: &[BL_76],
                statement: l(
                    "Målrettet støtte til forældre med anbragte børn er frivillig: de forældre, støtten retter sig mod, giver samtykke.",
                    "Targeted support for parents of children in care is voluntary: the parents it is aimed at consent.",
                ),
                way_forward: l("Registrér forælderens samtykke.", "Register the parent's consent."),
                protected_by: &["the_parent_programme_needs_the_participating_parents_consent"],
            },
            SharingWithPlacementConsent => RuleInfo {
                code: "sharing_with_placement_consent",
                sections: &[BL_104_3],
                statement: l(
                    "Ved støttet samvær må oplysninger fra samværet kun deles med anbringelsesstedet (fx i en samtale med omsorgspersonen), når forældrene har givet samtykke til det.",
                    "In supported visitation, what happened at a visit is shared with the placement setting (e.g. in a talk with the caregiver) only with the parents' consent.",
                ),
                way_forward: l(
                    "Registrér forældrenes samtykke til deling med anbringelsesstedet.",
                    "Register the parents' consent to sharing with the placement setting.",
                ),
                protected_by: &["a_caregiver_talk_in_supported_visitation_needs_consent_to_share"],
            },
            WithdrawalFromItsMoment => RuleInfo {
                code: "withdrawal_from_its_moment",
                sections: &[BL_104_3, BL_32_2],
                statement: l(
                    "En tilbagekaldelse af et samtykke gælder fra sit tidspunkt: senere samvær kan ikke holdes og senere beskrivelser ikke sendes, men intet tidligere skrives om.",
                    "A withdrawn consent takes effect from its moment: later visits cannot be held and later descriptions cannot be sent, but nothing earlier is rewritten.",
                ),
                way_forward: l(
                    "Registrér et nyt samtykke, hvis familien giver det igen.",
                    "Register a new consent if the family gives it again.",
                ),
                protected_by: &[
                    "a_withdrawal_takes_effect_from_its_moment_and_not_before",
                    "a_consent_withdrawn_between_two_visits_blocks_only_the_later",
                    "a_withdrawal_cannot_be_dated_before_the_consent_or_in_the_future",
                ],
            },
            SupervisedVisitNeedsDecision => RuleInfo {
                code: "supervised_visit_needs_decision",
                sections: &[BL_105_1_2],
                statement: l(
                    "Overvåget samvær kan kun planlægges og holdes inden for perioden af en gyldig afgørelse fra børne- og ungeudvalget.",
                    "A supervised visit can only be planned and held inside the period of a valid decision of the Children and Youth Committee.",
                ),
                way_forward: l(
                    "Registrér udvalgets afgørelse, eller flyt samværet ind i afgørelsens periode.",
                    "Register the committee's decision, or move the visit inside its period.",
                ),
                protected_by: &[
                    "a_supervised_visit_needs_a_decision_covering_its_day",
                    "a_decision_that_expires_during_a_planned_series",
                    "a_supervised_visit_is_planned_and_held_only_inside_its_decision",
                    "no_sequence_of_actions_holds_a_supervised_visit_outside_a_decision",
                ],
            },
            SupportedCannotReplaceSupervised => RuleInfo {
                code: "supported_cannot_replace_supervised",
                sections: &[BL_105_1_2],
                statement: l(
                    "Støttet samvær kan ikke erstatte overvåget samvær: når udvalget har besluttet overvåget samvær for perioden, kan samværet ikke holdes som støttet samvær.",
                    "Supported visitation cannot replace supervised visitation: when the committee has decided on supervision for the period, the visit cannot be held as supported visitation.",
                ),
                way_forward: l(
                    "Hold samværet som overvåget samvær efter bestilling fra sagsbehandleren.",
                    "Hold the visit as supervised visitation, ordered by the caseworker.",
                ),
                protected_by: &["supported_visitation_cannot_replace_a_decided_supervision"],
            },
            NoVisitsWhileContactCutOff => RuleInfo {
                code: "no_visits_while_contact_cut_off",
                sections: &[BL_105],
                statement: l(
                    "Når udvalget har afbrudt samværet, kan der ikke planlægges eller holdes samvær i perioden.",
                    "While the committee has cut off contact, no visit can be planned or held.",
                ),
                way_forward: l("Planlæg samværet efter perioden.", "Plan the visit after the period."),
                protected_by: &["no_visit_while_contact_is_cut_off"],
            },
            DecisionExpiryWarning => RuleInfo {
                code: "decision_expiry_warning",
                sections: &[BL_105_1_2],
                statement: l(
                    "Koordinatoren advares et indstillet antal dage før en afgørelse om overvåget samvær udløber.",
                    "The coordinator is warned a configured number of days before a decision on supervised visitation expires.",
                ),
                way_forward: l(
                    "Kontakt sagsbehandleren om en ny afgørelse.",
                    "Contact the caseworker about a new decision.",
                ),
                protected_by: &["decisions_are_flagged_a_configured_number_of_days_before_they_expire"],
            },
            NoVisitsWhileSuspended => RuleInfo {
                code: "no_visits_while_suspended",
                sections: &[BL_103_2, BL_104_5],
                statement: l(
                    "Barnet kan bede om, at samværet suspenderes. Når kommunen har besluttet at suspendere samværet, kan der ikke planlægges eller holdes samvær i perioden.",
                    "The child can ask for visitation to be suspended. While the municipality has suspended visitation, no visit can be planned or held.",
                ),
                way_forward: l("Planlæg samværet efter suspensionen.", "Plan the visit after the suspension."),
                protected_by: &["no_visit_while_visitation_is_suspended"],
            },
            SuspensionAtMost8Weeks => RuleInfo {
                code: "suspension_at_most_8_weeks",
                sections: &[BL_104_5],
                statement: l(
                    "Kommunen kan suspendere samvær i højst 8 uger ad gangen.",
                    "The municipality can suspend visitation for at most 8 weeks at a time.",
                ),
                way_forward: l("Angiv en periode på højst 8 uger.", "Give a period of at most 8 weeks."),
                protected_by: &["a_suspension_longer_than_8_weeks_is_refused"],
            },
            AppointmentInsideOrder => RuleInfo {
                code: "appointment_inside_order",
                sections: &[BL_104_2, BL_32_3],
                statement: l(
                    "Aftaler planlægges kun, mens bestillingen er accepteret eller aktiv, og inden for den bestilte periode.",
                    "Appointments are planned only while the referral is accepted or active, and inside the ordered period.",
                ),
                way_forward: l(
                    "Accepter bestillingen, eller bed sagsbehandleren om at forlænge perioden.",
                    "Accept the referral, or ask the caseworker to extend the period.",
                ),
                protected_by: &["appointments_only_inside_an_open_order"],
            },
            OutcomeAfterStart => RuleInfo {
                code: "outcome_after_start",
                sections: PROCEDURE,
                statement: l(
                    "At en aftale er holdt, kan først registreres, når den er begyndt.",
                    "That an appointment was held can be recorded only once it has begun.",
                ),
                way_forward: l("Registrér udfaldet efter aftalen.", "Record the outcome after the appointment."),
                protected_by: &["an_appointment_is_held_only_once_it_has_begun"],
            },
            RecordedAppointmentIsFinal => RuleInfo {
                code: "recorded_appointment_is_final",
                sections: &[OFL_13],
                statement: l(
                    "En aftale med registreret udfald flyttes og slettes ikke; registreringen er dokumentation.",
                    "An appointment with a recorded outcome is not moved or deleted; the record is documentation.",
                ),
                way_forward: l("Opret en ny aftale.", "Create a new appointment."),
                protected_by: &["a_recorded_appointment_cannot_be_moved_or_deleted"],
            },
            DescriptionAfterSupervisedVisit => RuleInfo {
                code: "description_after_supervised_visit",
                sections: &[BL_105_1_2],
                statement: l(
                    "Efter hvert overvåget samvær skal en skriftlig beskrivelse sendes til sagsbehandleren inden for et indstillet antal danske arbejdsdage (standard 3). Weekender og helligdage tælles ikke.",
                    "After every supervised visit a written description is due to the caseworker within a configured number of Danish working days (default 3). Weekends and public holidays do not count.",
                ),
                way_forward: l("Skriv beskrivelsen.", "Write the description."),
                protected_by: &[
                    "a_description_is_due_three_working_days_after_a_supervised_visit",
                    "a_holiday_inside_a_deadline_moves_it",
                ],
            },
            DescriptionNeedsConsent => RuleInfo {
                code: "description_needs_consent",
                sections: &[BL_104_3],
                statement: l(
                    "Ved støttet samvær findes en skriftlig beskrivelse kun, hvis forældrene har givet samtykke til skriftlige beskrivelser; samtykket skal være i kraft både på samværets tidspunkt og når beskrivelsen sendes.",
                    "In supported visitation a written description exists only if the parents consented to written descriptions; the consent must be in force both at the time of the visit and when the description is sent.",
                ),
                way_forward: l(
                    "Registrér forældrenes samtykke til skriftlige beskrivelser.",
                    "Register the parents' consent to written descriptions.",
                ),
                protected_by: &[
                    "a_supported_visitation_description_needs_consent_at_the_visit_and_at_sending",
                    "a_supported_visit_has_a_description_duty_only_with_consent",
                    "no_sequence_of_actions_sends_a_description_without_consent",
                ],
            },
            StatusLetterCadence => RuleInfo {
                code: "status_letter_cadence",
                sections: PROCEDURE,
                statement: l(
                    "Statusskrivelser følger leverandørens kadence for indsatsen, og der skrives altid en afsluttende statusskrivelse.",
                    "Status letters follow the provider's cadence for the intervention, and a closing letter is always written.",
                ),
                way_forward: l("Skriv statusskrivelsen.", "Write the status letter."),
                protected_by: &["status_letters_follow_the_cadence_and_closing_always"],
            },
            ChildViewsFrom10 => RuleInfo {
                code: "child_views_from_10",
                sections: &[BL_3, BL_5],
                statement: l(
                    "Fra 10 år er barnet part i sagen, og kommunen skal høre barnet. Derfor rummer hver statusskrivelse og afsluttende statusskrivelse om et barn på 10 år eller mere barnets egne synspunkter fra en samtale med barnet.",
                    "From 10 the child is a party and must be heard. So every status letter and closing letter about a child aged 10 or more carries the child's own views from a conversation with the child.",
                ),
                way_forward: l(
                    "Tal med barnet, og skriv barnets synspunkter i skrivelsen.",
                    "Talk with the child and write the child's views into the letter.",
                ),
                protected_by: &["a_letter_about_a_child_of_10_carries_the_childs_views"],
            },
            ReportWorkflow => RuleInfo {
                code: "report_workflow",
                sections: PROCEDURE,
                statement: l(
                    "En skriftlig rapport går fra kladde til koordinatorens godkendelse, familiens gennemlæsning, afsendelse og arkiv.",
                    "A written report goes from draft to coordinator review, family review, sent and archived.",
                ),
                way_forward: l(
                    "Vælg en af de handlinger, rapporten tilbyder nu.",
                    "Choose one of the actions the report offers now.",
                ),
                protected_by: &["a_report_moves_only_along_its_workflow"],
            },
            FamilyReviewBeforeSending => RuleInfo {
                code: "family_review_before_sending",
                sections: PROCEDURE,
                statement: l(
                    "Familien læser statusskrivelser og beskrivelser fra støttet samvær, før de sendes, og kan skrive en kommentar, der følger med. En beskrivelse fra overvåget samvær ser familien også, men den kan ikke standses.",
                    "The family reads status letters and supported-visitation descriptions before they are sent, and may add a comment that travels with them. The family also sees a supervised-visit description, but cannot stop it.",
                ),
                way_forward: l("Registrér familiens gennemlæsning.", "Record the family review."),
                protected_by: &["the_family_reads_before_sending_but_cannot_stop_a_supervised_description"],
            },
            SentReportIsFinal => RuleInfo {
                code: "sent_report_is_final",
                sections: &[OFL_13],
                statement: l(
                    "En sendt rapport ændres aldrig. En rettelse er en ny rapport, der angiver, hvad den retter.",
                    "A sent report is never changed. A correction is a new report that names what it corrects.",
                ),
                way_forward: l("Opret en rettelse.", "Create a correction."),
                protected_by: &["a_sent_report_is_never_changed_and_a_correction_names_it"],
            },
            SecretAddressNeverToParents => RuleInfo {
                code: "secret_address_never_to_parents",
                sections: &[BL_105],
                statement: l(
                    "En hemmelig adresse på anbringelsesstedet må aldrig fremgå af noget, forældrene kan se eller modtage — hverken på en skærm eller i et brev.",
                    "A secret placement address never appears in anything a parent can see or receive — on a screen or in a letter.",
                ),
                way_forward: l("Fjern adressen fra teksten.", "Remove the address from the text."),
                protected_by: &[
                    "a_secret_address_never_reaches_the_family",
                    "a_report_naming_the_secret_address_cannot_reach_the_family",
                    "no_sequence_of_actions_shows_a_secret_address_to_a_parent",
                ],
            },
        }
    }

    /// The stable code.
    pub fn code(self) -> &'static str {
        self.info().code
    }

    /// The sections, short Danish form, joined: `BL § 104, stk. 3`.
    pub fn citation(self, lang: Lang) -> String {
        let sections = self.info().sections;
        if sections.is_empty() {
            return match lang {
                Lang::Da => "leverandørens procedure".into(),
                Lang::En => "the provider's procedure".into(),
            };
        }
        let parts: Vec<String> = sections
            .iter()
            .map(|s| match lang {
                Lang::Da => s.short_da(),
                Lang::En => s.citation_en(),
            })
            .collect();
        parts.join(match lang {
            Lang::Da => " og ",
            Lang::En => " and ",
        })
    }
}

/// A rule that blocks an action, and what in this case broke it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleViolation {
    /// The rule.
    pub rule: Rule,
    /// What broke it here, in Danish and English (no personal data).
    pub detail: Option<(String, String)>,
}

impl RuleViolation {
    /// The rule, without detail.
    pub fn new(rule: Rule) -> Self {
        Self { rule, detail: None }
    }

    /// The rule, with what broke it.
    pub fn with(rule: Rule, da: impl Into<String>, en: impl Into<String>) -> Self {
        Self { rule, detail: Some((da.into(), en.into())) }
    }

    /// A short explanation that names the rule and its section: the detail
    /// (or the rule's statement), then the citation.
    pub fn explain(&self, lang: Lang) -> String {
        let info = self.rule.info();
        let what = match (&self.detail, lang) {
            (Some((da, _)), Lang::Da) => da.clone(),
            (Some((_, en)), Lang::En) => en.clone(),
            (None, _) => info.statement.get(lang).to_string(),
        };
        format!("{what} ({})", self.rule.citation(lang))
    }

    /// The way forward.
    pub fn way_forward(&self, lang: Lang) -> &'static str {
        self.rule.info().way_forward.get(lang)
    }

    /// How a violation appears in an API answer.
    pub fn view(&self, lang: Lang) -> RuleViolationView {
        let info = self.rule.info();
        RuleViolationView {
            rule: self.rule,
            sections: info.sections.iter().map(|s| s.short_da()).collect(),
            message: self.explain(lang),
            rule_statement: info.statement.get(lang).to_string(),
            way_forward: self.way_forward(lang).to_string(),
        }
    }
}

impl std::fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.explain(Lang::En))
    }
}

impl std::error::Error for RuleViolation {}

/// A rule violation as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleViolationView {
    /// The rule.
    pub rule: Rule,
    /// Its sections, short Danish form (`BL § 104, stk. 3`); empty for the provider's procedure.
    pub sections: Vec<String>,
    /// What blocked the action and why, in the user's language, naming the section.
    pub message: String,
    /// The rule in full.
    pub rule_statement: String,
    /// What the user can do.
    pub way_forward: String,
}

/// `docs/RULES.md`, generated from [`Rule::info`].
pub fn rules_markdown() -> String {
    let mut s = String::from(
        "# Rules\n\n\
         The rules Samvirke enforces. Each is named once, in `crates/domain/src/rules.rs`,\n\
         is applied by one function of the domain crate, and is protected by the tests\n\
         listed under it. When a rule\n\
         blocks an action, the API answers `409 Conflict` with the rule's code, its\n\
         sections and an explanation in Danish or English.\n\n\
         This file is generated: `UPDATE_DOCS=1 cargo test -p samvirke-domain rules_md`.\n\n\
         BL is Barnets lov, OFL Offentlighedsloven. Rules marked *procedure* rest on the\n\
         provider's procedure rather than a section of the law.\n",
    );
    for r in Rule::ALL {
        let i = r.info();
        let sections = if i.sections.is_empty() {
            "procedure".to_string()
        } else {
            i.sections.iter().map(|s| s.short_da()).collect::<Vec<_>>().join(", ")
        };
        s.push_str(&format!("\n## `{}` — {}\n\n", i.code, sections));
        s.push_str(&format!("- **Dansk:** {}\n", i.statement.da));
        s.push_str(&format!("- **English:** {}\n", i.statement.en));
        s.push_str(&format!("- **Vejen videre / way forward:** {} / {}\n", i.way_forward.da, i.way_forward.en));
        let tests: Vec<String> = i.protected_by.iter().map(|t| format!("`{t}`")).collect();
        s.push_str(&format!("- **Tests:** {}\n", tests.join(", ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sources(dir: &Path, out: &mut String) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }

    #[test]
    fn every_rule_has_codes_texts_and_existing_tests() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut all = String::new();
        sources(&root.join("crates"), &mut all);
        let mut codes = std::collections::HashSet::new();
        for r in Rule::ALL {
            let i = r.info();
            assert!(codes.insert(i.code), "duplicate code {}", i.code);
            assert!(!i.statement.da.is_empty() && !i.statement.en.is_empty());
            assert!(!i.protected_by.is_empty(), "{} has no test", i.code);
            for t in i.protected_by {
                assert!(all.contains(&format!("fn {t}(")), "rule {} names test {t}, which does not exist", i.code);
            }
        }
    }

    #[test]
    fn a_rule_serialises_as_its_code() {
        for r in Rule::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.code());
        }
    }

    #[test]
    fn rules_md() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/RULES.md");
        let want = rules_markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(have == want, "docs/RULES.md is out of date: UPDATE_DOCS=1 cargo test -p samvirke-domain rules_md");
    }

    #[test]
    fn an_explanation_names_the_rule_and_its_section_in_both_languages() {
        let v = RuleViolation::new(Rule::DescriptionNeedsConsent);
        assert!(v.explain(Lang::Da).contains("samtykke til skriftlige beskrivelser"));
        assert!(v.explain(Lang::Da).ends_with("(BL § 104, stk. 3)"));
        assert!(v.explain(Lang::En).contains("(the Children's Act (Barnets lov) § 104(3))"));
        let p = RuleViolation::new(Rule::ReportWorkflow);
        assert!(p.explain(Lang::Da).ends_with("(leverandørens procedure)"));
    }
}
