//! The catalogue: the five interventions a provider delivers, each described
//! in Danish with English, with its basis in force (Barnets lov) and its former
//! basis (Serviceloven), its consent rule and its documentation rule.

use crate::appointment::AppointmentKind;
use crate::law::{LegalRef, sections::*};
use crate::{Lang, Localized};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An intervention a municipality can order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Intervention {
    /// Støttet samvær (BL § 104, stk. 3).
    SupportedVisitation,
    /// Overvåget samvær (BL § 105).
    SupervisedVisitation,
    /// Praktisk pædagogisk støtte i hjemmet (BL § 32, stk. 1, nr. 2).
    HomeSupport,
    /// Fast kontaktperson (BL § 32, stk. 1, nr. 3).
    ContactPerson,
    /// Målrettet støtte til forældre med anbragte børn (BL §§ 76–78).
    ParentProgramme,
}

impl Intervention {
    /// All five, in catalogue order.
    pub const ALL: [Intervention; 5] = [
        Intervention::SupportedVisitation,
        Intervention::SupervisedVisitation,
        Intervention::HomeSupport,
        Intervention::ContactPerson,
        Intervention::ParentProgramme,
    ];

    /// The kinds of appointment a course of this intervention is made of, as
    /// the source pages describe its work: visits with their guidance and
    /// talks, home sessions, contact-person meetings, the parent programme's
    /// sessions; every course has its start, follow-up and network meetings.
    pub fn appointment_kinds(self) -> &'static [AppointmentKind] {
        use AppointmentKind::*;
        match self {
            Intervention::SupportedVisitation | Intervention::SupervisedVisitation => &[
                Visit,
                StartMeeting,
                GuidanceBeforeVisit,
                GuidanceAfterVisit,
                ChildTalkAfterVisit,
                CaregiverTalkAfterVisit,
                FollowUpMeeting,
                NetworkMeeting,
            ],
            Intervention::HomeSupport => &[StartMeeting, HomeSupportSession, FollowUpMeeting, NetworkMeeting],
            Intervention::ContactPerson => &[StartMeeting, ContactPersonMeeting, FollowUpMeeting, NetworkMeeting],
            Intervention::ParentProgramme => &[StartMeeting, ParentSession, FollowUpMeeting, NetworkMeeting],
        }
    }

    /// The stable code used in the API and the database.
    pub fn code(self) -> &'static str {
        match self {
            Intervention::SupportedVisitation => "supported_visitation",
            Intervention::SupervisedVisitation => "supervised_visitation",
            Intervention::HomeSupport => "home_support",
            Intervention::ContactPerson => "contact_person",
            Intervention::ParentProgramme => "parent_programme",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.code() == code)
    }

    /// True for the two kinds of visitation (samvær).
    pub fn is_visitation(self) -> bool {
        matches!(self, Intervention::SupportedVisitation | Intervention::SupervisedVisitation)
    }

    /// The catalogue entry.
    pub fn entry(self) -> &'static CatalogueEntry {
        CATALOGUE.iter().find(|e| e.intervention == self).expect("every intervention has an entry")
    }

    /// The name in the given language.
    pub fn name(self, lang: Lang) -> &'static str {
        self.entry().name.get(lang)
    }
}

/// Who must consent before an intervention may be delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentRule {
    /// The custody holder(s), and the young person from age 15; the visiting parent's consent is a precondition.
    CustodyHolderAndYoungPersonFrom15,
    /// No consent: the Children and Youth Committee decides, for a period.
    CommitteeDecision,
    /// The custody holder(s) consent to a § 32 measure.
    CustodyHolder,
    /// Voluntary: the parents themselves take part.
    ParentsVoluntary,
}

/// What is written, and for whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentationRule {
    /// Written descriptions only with the parents' consent; status letters per procedure.
    DescriptionsOnlyWithConsent,
    /// A written description after every visit, to the caseworker; cannot be opted out of.
    DescriptionAfterEveryVisit,
    /// A closing status letter to family and caseworker, read by the family first.
    ClosingStatusLetter,
    /// Status letters per procedure and at closing.
    StatusPerProcedure,
    /// A parent action plan with reviews, and status letters.
    ActionPlanAndStatus,
}

/// One intervention, described.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueEntry {
    /// Which intervention.
    pub intervention: Intervention,
    /// Its name.
    pub name: Localized,
    /// What it is for.
    pub purpose: Localized,
    /// For whom.
    pub target_group: Localized,
    /// What happens.
    pub content: Localized,
    /// Methods and elements.
    pub methods: &'static [Localized],
    /// Recommended duration or period.
    pub recommended_duration: Localized,
    /// Recommended scope (hours).
    pub recommended_scope: Localized,
    /// The basis in force (Barnets lov).
    pub basis_in_force: &'static [LegalRef],
    /// The former basis (Serviceloven), as older documents cite it.
    pub former_basis: &'static [LegalRef],
    /// Who consents.
    pub consent_rule: ConsentRule,
    /// The consent rule in words.
    pub consent_text: Localized,
    /// What is written.
    pub documentation_rule: DocumentationRule,
    /// The documentation rule in words.
    pub documentation_text: Localized,
}

/// The catalogue, in order.
pub static CATALOGUE: [CatalogueEntry; 5] = [
    CatalogueEntry {
        intervention: Intervention::SupportedVisitation,
        name: Localized::new("Støttet samvær", "Supported visitation"),
        purpose: Localized::new(
            "At barn og samværsforælder får gode og trygge samvær. Forælderen kan få støtte til at udvikle egne kompetencer eller til at gennemføre samværet trods egne vanskeligheder, og barnet kan få støtte til at trække sig, holde pause og blive set i sine initiativer, når det er formuleret som et arbejdsmål.",
            "Good and safe visits between the child and the visiting parent. The parent can be supported in developing their own skills or in coping with the visit despite their own difficulties, and the child can be supported in stepping back, taking a break and being seen in their initiatives, when this is set as a work goal.",
        ),
        target_group: Localized::new(
            "Anbragte børn og unge og deres samværsforældre eller netværk, når forælderen ønsker støtte til samværet.",
            "Children and young people in care and their visiting parents or network, when the parent wants support during visits.",
        ),
        content: Localized::new(
            "Samværskonsulenten arbejder med den opgave, sagsbehandleren har formuleret: observation af samspillet mellem forælder og barn, råd og vejledning til forælderen eller støtte til barnet efter aftale med forældrene. Konsulenten griber ind, hvis barnets grænser overskrides. Efter samværet taler konsulenten med barnet, hvis det er gammelt nok til at forstå situationen, og med omsorgspersonen, hvis denne ikke var med.",
            "The practitioner works on the task the caseworker has set: observing the interaction between parent and child, advising the parent, or supporting the child as agreed with the parents. The practitioner steps in if the child's boundaries are crossed. After the visit the practitioner talks with the child, if old enough to understand, and with the caregiver if the caregiver was not present.",
        ),
        methods: &[
            Localized::new("Opstartsmøde før første samvær", "Start meeting before the first visit"),
            Localized::new(
                "Vejledning af forældrene før og efter samværet",
                "Guidance for the parents before and after the visit",
            ),
            Localized::new(
                "Anerkendende og dialogskabende tilgang under samværet",
                "An appreciative, dialogue-building approach during the visit",
            ),
            Localized::new(
                "Samtale med barn og omsorgsperson efter samværet",
                "Talk with the child and the caregiver after the visit",
            ),
            Localized::new(
                "Deltagelse i netværks- og opfølgningsmøder efter invitation",
                "Taking part in network and follow-up meetings when invited",
            ),
        ],
        recommended_duration: Localized::new(
            "Afgrænsede perioder, som sagsbehandleren bestiller; aftales individuelt.",
            "Bounded periods ordered by the caseworker; agreed case by case.",
        ),
        recommended_scope: Localized::new("Aftales individuelt efter sagens omfang.", "Agreed case by case."),
        basis_in_force: &[BL_104_3],
        former_basis: &[SEL_71_2],
        consent_rule: ConsentRule::CustodyHolderAndYoungPersonFrom15,
        consent_text: Localized::new(
            "Forældremyndighedsindehaveren skal give samtykke, og den unge skal selv give samtykke fra 15 år. Samværsforælderens samtykke er en forudsætning. Støttet samvær kan ikke erstatte overvåget samvær.",
            "The custody holder must consent, and the young person must consent from age 15. The visiting parent's consent is a precondition. Supported visitation cannot replace supervised visitation.",
        ),
        documentation_rule: DocumentationRule::DescriptionsOnlyWithConsent,
        documentation_text: Localized::new(
            "Der skrives kun beskrivelser til sagsbehandleren, hvis forældrene har sagt ja til det. Statusskrivelser efter procedure gennemgås med forældrene, før de sendes.",
            "Written descriptions go to the caseworker only if the parents have said yes. Status letters follow the procedure and are gone through with the parents before they are sent.",
        ),
    },
    CatalogueEntry {
        intervention: Intervention::SupervisedVisitation,
        name: Localized::new("Overvåget samvær", "Supervised visitation"),
        purpose: Localized::new(
            "At barnet kan have samvær med forældre og netværk under trygge forhold. En repræsentant er til stede under hele samværet og sikrer, at vilkår og aftaler bliver overholdt.",
            "That the child can have visits with parents and network under safe conditions. A representative is present during the whole visit and makes sure terms and agreements are kept.",
        ),
        target_group: Localized::new(
            "Anbragte børn og unge og deres forældre eller netværk, når Børne- og Ungeudvalget har truffet afgørelse om overvåget samvær for en periode: fordi der er bekymring for barnets sikkerhed, fordi barnet har det meget svært under samvær, eller fordi der er kendskab til eller mistanke om overgreb.",
            "Children and young people in care and their parents or network, when the Children and Youth Committee has decided on supervised visitation for a period: because of concern for the child's safety, because the child has a very hard time during visits, or because abuse is known or suspected.",
        ),
        content: Localized::new(
            "En samværskonsulent er til stede under hele samværet. Før første samvær holdes et opstartsmøde, hvor forældrene møder konsulenten og aftaler det praktiske. Forældrene kan få vejledning alene før og efter samværet; voksensnak holdes adskilt fra det, der er for barnet. Ankomst og afgang kan forskydes, så en beskyttet person ikke mødes på vejen.",
            "A practitioner is present during the whole visit. Before the first visit a start meeting lets the parents meet the practitioner and agree the practicalities. The parents can have guidance alone before and after the visit; adult talk is kept apart from what is for the child. Arrival and departure can be staggered so that a protected person is never met on the way.",
        ),
        methods: &[
            Localized::new("Opstartsmøde med rundvisning", "Start meeting with a tour of the rooms"),
            Localized::new("Tilstedeværelse under hele samværet", "Presence during the whole visit"),
            Localized::new("Vejledning før og efter samværet", "Guidance before and after the visit"),
            Localized::new("Forskudt ankomst og afgang efter behov", "Staggered arrival and departure where needed"),
            Localized::new("Deltagelse i opfølgningsmøder", "Taking part in follow-up meetings"),
        ],
        recommended_duration: Localized::new(
            "Den periode, Børne- og Ungeudvalgets afgørelse gælder for.",
            "The period of the Children and Youth Committee's decision.",
        ),
        recommended_scope: Localized::new(
            "Som fastsat i afgørelsen og sagsbehandlerens vilkår for samværet.",
            "As set by the decision and the caseworker's conditions for visitation.",
        ),
        basis_in_force: &[BL_105_1_2],
        former_basis: &[SEL_71_3_4],
        consent_rule: ConsentRule::CommitteeDecision,
        consent_text: Localized::new(
            "Kræver ikke samtykke: Børne- og Ungeudvalget træffer afgørelse for en bestemt periode, og samvær kan kun planlægges og holdes inden for den.",
            "No consent needed: the Children and Youth Committee decides for a set period, and visits can only be planned and held inside it.",
        ),
        documentation_rule: DocumentationRule::DescriptionAfterEveryVisit,
        documentation_text: Localized::new(
            "Efter hvert afholdt samvær sendes en skriftlig beskrivelse til sagsbehandleren. Det kan ikke fravælges; familien ser beskrivelsen, men kan ikke standse den.",
            "After every visit held, a written description is sent to the caseworker. It cannot be opted out of; the family sees the description but cannot stop it.",
        ),
    },
    CatalogueEntry {
        intervention: Intervention::HomeSupport,
        name: Localized::new("Praktisk pædagogisk støtte i hjemmet", "Practical-pedagogical support in the home"),
        purpose: Localized::new(
            "At hjælpe familien til at fungere bedst muligt igen, ved at forældrene får konkret vejledning i at drage omsorg for barnets udvikling og for familiens hverdag.",
            "Helping the family to function as well as possible again, by giving the parents concrete guidance in caring for the child's development and the family's daily life.",
        ),
        target_group: Localized::new(
            "Familier, hvor forældre, dagtilbud, skole eller andre er bekymrede for barnets udvikling og trivsel, og hvor forældrene har brug for konkret vejledning.",
            "Families where parents, daycare, school or others are worried about the child's development and well-being, and the parents need concrete guidance.",
        ),
        content: Localized::new(
            "Forløbet bygger på det, forældrene og sagsbehandleren har formuleret efter den børnefaglige undersøgelse, og begynder med et møde om familiens ønsker og behov for forandring. Støtten foregår oftest i hjemmet, men stedet vælges fra gang til gang: familiehuset, en fritidsaktivitet, indkøb, aflevering eller afhentning. Der kan være en eller to familiebehandlere på familien. Møderne er typisk hyppigst i starten og bliver sjældnere hen mod afslutningen.",
            "The course builds on what the parents and the caseworker formulated after the child-welfare investigation, and starts with a meeting about the family's wishes and needs for change. Support mostly takes place in the home, but the place is chosen meeting by meeting: the family house, a leisure activity, shopping, drop-off or pick-up. One or two family practitioners may work with the family. Meetings are usually most frequent at the start and taper off towards the end.",
        ),
        methods: &[
            Localized::new("Familie-, børne- og forældresamtaler", "Family, child and parent talks"),
            Localized::new("Samtaler med udvalgte familiemedlemmer", "Talks with chosen family members"),
            Localized::new("Familieaktiviteter", "Family activities"),
            Localized::new("Konkrete anvisninger ud fra observationer", "Concrete instructions based on observations"),
            Localized::new("Struktur og rytme i hverdagen", "Structure and rhythm in daily life"),
            Localized::new(
                "Rådgivning om opdragelse og samvær med børnene",
                "Advice on upbringing and time with the children",
            ),
            Localized::new("Støtte i kontakten med skole og dagtilbud", "Support in contact with school and daycare"),
            Localized::new("Netværksmøder", "Network meetings"),
            Localized::new("Familieøvelser med videofeedback", "Family exercises with video feedback"),
        ],
        recommended_duration: Localized::new(
            "Som sagsbehandlerens afgørelse fastsætter (formål og forventet varighed, BL § 32, stk. 3).",
            "As the caseworker's decision sets out (purpose and expected duration, BL § 32(3)).",
        ),
        recommended_scope: Localized::new(
            "Aftales med familien; ofte flere møder om ugen i starten, færre mod slutningen.",
            "Agreed with the family; often several meetings a week at the start, fewer towards the end.",
        ),
        basis_in_force: &[BL_32_1_2],
        former_basis: &[SEL_52_3_3],
        consent_rule: ConsentRule::CustodyHolder,
        consent_text: Localized::new(
            "Forældremyndighedsindehaverens samtykke til foranstaltningen (BL § 32, stk. 2).",
            "The custody holder's consent to the measure (BL § 32(2)).",
        ),
        documentation_rule: DocumentationRule::ClosingStatusLetter,
        documentation_text: Localized::new(
            "Ved afslutningen skrives en statusskrivelse til familien og sagsbehandleren om forløbet, samarbejdet og de temaer, der er arbejdet med. Familien læser den, før den sendes.",
            "At the end, a status letter to the family and the caseworker describes the course, the cooperation and the themes worked on. The family reads it before it is sent.",
        ),
    },
    CatalogueEntry {
        intervention: Intervention::ContactPerson,
        name: Localized::new("Fast kontaktperson", "Fixed contact person"),
        purpose: Localized::new(
            "At barnet eller den unge, og eventuelt hele familien, får en stabil voksen at tale med, læsse bekymringer af på og blive bakket op af, når familien ikke selv kan dække behovet.",
            "Giving the child or young person, and possibly the whole family, a stable adult to talk to, share worries with and be backed by, when the family cannot meet that need itself.",
        ),
        target_group: Localized::new(
            "Børn og unge med behov for en fast voksenkontakt, fx som opfølgning på eller supplement til familiebehandling.",
            "Children and young people who need a stable adult contact, for example as a follow-up or supplement to family treatment.",
        ),
        content: Localized::new(
            "Samtaler, tilstedeværelse og støtte med udgangspunkt i den unges egne oplevelser af sin situation. Kontaktpersonen forholder sig til hele den unges liv, kan stille krav og korrigere, og arbejder med fokusområder, som vælges sammen med den unge.",
            "Talks, presence and support starting from the young person's own experience of their situation. The contact person relates to the young person's whole life, may set demands and correct behaviour, and works on focus areas chosen together with the young person.",
        ),
        methods: &[
            Localized::new("Ønsker og tanker om fremtiden", "Wishes and thoughts about the future"),
            Localized::new("Kontakt og samvær med familien", "Contact and visits with the family"),
            Localized::new("Fælles aktiviteter i familien", "Shared family activities"),
            Localized::new("Opfølgning på aftaler i familien", "Following up on family agreements"),
            Localized::new("Fritidsliv og kammeratskaber", "Leisure life and friendships"),
            Localized::new("Bolig", "Housing"),
            Localized::new("Start på uddannelse", "Starting education"),
            Localized::new("Sociale relationer", "Social relations"),
            Localized::new("At blive i uddannelsen", "Staying in education"),
            Localized::new("Personlig opbakning", "Personal backing"),
        ],
        recommended_duration: Localized::new(
            "Som sagsbehandlerens afgørelse fastsætter (BL § 32, stk. 3).",
            "As the caseworker's decision sets out (BL § 32(3)).",
        ),
        recommended_scope: Localized::new("Aftales individuelt.", "Agreed case by case."),
        basis_in_force: &[BL_32_1_3],
        former_basis: &[SEL_52_3_7],
        consent_rule: ConsentRule::CustodyHolder,
        consent_text: Localized::new(
            "Forældremyndighedsindehaverens samtykke til foranstaltningen (BL § 32, stk. 2).",
            "The custody holder's consent to the measure (BL § 32(2)).",
        ),
        documentation_rule: DocumentationRule::StatusPerProcedure,
        documentation_text: Localized::new(
            "Statusskrivelser efter procedure og altid ved afslutning.",
            "Status letters per procedure and always at closing.",
        ),
    },
    CatalogueEntry {
        intervention: Intervention::ParentProgramme,
        name: Localized::new(
            "Målrettet støtte til forældre med anbragte børn",
            "Targeted support for parents of children in care",
        ),
        purpose: Localized::new(
            "At styrke forældrenes kompetencer og deres samarbejde med kommune og anbringelsessted, så anbringelsen bliver mere stabil, og samvær og kontakt mellem barn og forældre bliver roligere.",
            "Strengthening the parents' skills and their cooperation with the municipality and the placement setting, so that the placement becomes more stable and visits and contact between child and parents calmer.",
        ),
        target_group: Localized::new(
            "Forældre til anbragte børn, som selv er motiverede for et forløb.",
            "Parents of children in care who are themselves motivated for a course.",
        ),
        content: Localized::new(
            "Et forløb i tre faser (opstart, forandring, vedligeholdelse) bygget på fem kerneelementer. Forældrene mødes i deres krise og sorg over anbringelsen, deres ressourcer og netværk afdækkes og bruges, og sammen med dem formuleres få, konkrete mål og handlinger i en forældrehandleplan. Støtten tilpasses den enkelte, og forløbet koordineres tæt med anbringelsessted og kommune.",
            "A course in three phases (start, change, maintenance) built on five core elements. The parents are met in their crisis and grief over the placement, their resources and network are mapped and used, and a few concrete goals and actions are formulated with them in a parent action plan. Support is tailored to the individual, and the course is closely coordinated with the placement setting and the municipality.",
        ),
        methods: &[
            Localized::new("Kriseinformeret praksis", "Crisis-informed practice"),
            Localized::new("Ressourcefokuseret tilgang", "Resource-focused approach"),
            Localized::new("Målrettet forældrehandleplan", "Targeted parent action plan"),
            Localized::new("Individuelt tilpasset støtte", "Individually adapted support"),
            Localized::new("Tæt tværfagligt samarbejde", "Close cross-disciplinary cooperation"),
        ],
        recommended_duration: Localized::new(
            "Et forløb gennem opstarts-, forandrings- og vedligeholdelsesfasen; længden aftales individuelt.",
            "A course through the start, change and maintenance phases; length agreed case by case.",
        ),
        recommended_scope: Localized::new("Aftales individuelt.", "Agreed case by case."),
        basis_in_force: &[BL_76, BL_77_78],
        former_basis: &[SEL_54],
        consent_rule: ConsentRule::ParentsVoluntary,
        consent_text: Localized::new(
            "Frivilligt og bygget på forældrenes egen motivation; forældrene giver selv samtykke til forløbet.",
            "Voluntary and built on the parents' own motivation; the parents themselves consent to the course.",
        ),
        documentation_rule: DocumentationRule::ActionPlanAndStatus,
        documentation_text: Localized::new(
            "Forældrehandleplan med mål, handlinger og ressourcer, som følges op over tid, og statusskrivelser.",
            "A parent action plan with goals, actions and resources, followed up over time, and status letters.",
        ),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_one_entry_per_intervention_in_order() {
        let order: Vec<_> = CATALOGUE.iter().map(|e| e.intervention).collect();
        assert_eq!(order, Intervention::ALL.to_vec());
    }

    #[test]
    fn every_entry_cites_barnets_lov_in_force_and_serviceloven_as_former() {
        for e in &CATALOGUE {
            assert!(e.basis_in_force.iter().all(|r| r.act == crate::law::Act::BarnetsLov), "{:?}", e.intervention);
            assert!(e.former_basis.iter().all(|r| r.act == crate::law::Act::Serviceloven), "{:?}", e.intervention);
        }
        assert_eq!(Intervention::SupportedVisitation.entry().basis_in_force[0].short_da(), "BL § 104, stk. 3");
        assert_eq!(Intervention::SupervisedVisitation.entry().former_basis[0].short_da(), "SEL § 71, stk. 3–4");
    }

    #[test]
    fn intervention_codes_round_trip() {
        for i in Intervention::ALL {
            assert_eq!(Intervention::from_code(i.code()), Some(i));
            let json = serde_json::to_string(&i).unwrap();
            assert_eq!(json, format!("\"{}\"", i.code()));
        }
    }
}
