//! Danish texts for the demo data, written for Samvirke (none is copied from
//! the seed pages). Templates use `{barn}` for the child's first name,
//! `{forælder}` for the parent's first name, `{rel}` for the parent's relation
//! ("mor", "far"), `{bragt}` for who brought the child and `{omsorg}` for the
//! caregiver.

/// Work goals for supported visitation, in the caseworker's words.
pub const GOALS_SUPPORTED: &[&str] = &[
    "At {rel} bliver bedre til at aflæse {barn}s signaler og følge {barn}s initiativ i legen",
    "At {rel} kan holde en rolig og venlig tone under hele samværet",
    "At {barn} får støtte til at sige til og fra og tage en pause, når det bliver for meget",
    "At samværet afsluttes på en tryg og forudsigelig måde for {barn}",
    "At {rel} tilpasser aktiviteter og samtale til {barn}s alder",
    "At {rel} overholder aftaler om mødetid og forberedelse",
    "At {barn} og {rel} får gode fælles oplevelser",
    "At voksensnak og uenigheder holdes uden for samværet",
];

/// Work goals for supervised visitation.
pub const GOALS_SUPERVISED: &[&str] = &[
    "At sikre trygge og forudsigelige rammer for {barn} under samværet",
    "At samværet foregår efter de vilkår, kommunen har fastsat",
    "At {barn} oplever ro før, under og efter samværet",
    "At {rel} kan være sammen med {barn} uden at tale om sagen",
    "At beskrive samspillet mellem {barn} og {rel} som grundlag for kommunens vurdering af det videre samvær",
];

/// Work goals for home support.
pub const GOALS_HOME: &[&str] = &[
    "At familien får faste rutiner om morgenen og ved sengetid",
    "At forældrene bliver bedre til at sætte tydelige og kærlige grænser",
    "At {barn} møder i skole hver dag og til tiden",
    "At forældrene får overblik over indkøb og madplan for ugen",
    "At forældrene får redskaber til at håndtere konflikter mellem søskende",
    "At forældrene får et bedre samarbejde med daginstitution og skole",
    "At forældrene styrker den positive kontakt med {barn} i hverdagen",
];

/// Work goals for a contact person.
pub const GOALS_CONTACT: &[&str] = &[
    "At {barn} har en fast voksen at tale med om bekymringer og planer",
    "At {barn} kommer i gang med og fastholder en uddannelse",
    "At {barn} får en fritidsaktivitet og flere gode kammerater",
    "At {barn} får støtte til at holde kontakten med sin familie",
    "At {barn} får hjælp til de praktiske opgaver ved at flytte i egen bolig",
    "At {barn} overholder aftaler med skole og hjem",
];

/// Work goals for the parent programme.
pub const GOALS_PARENT: &[&str] = &[
    "At forældrene får bearbejdet krisen ved anbringelsen og kan indgå i samarbejdet",
    "At forældrene får øje på egne ressourcer og på støtten i deres netværk",
    "At samarbejdet mellem forældre, anbringelsessted og kommune bliver roligere",
    "At forældrene kan bidrage til ro og stabilitet omkring samværet",
    "At forældrene og familiebehandleren laver en forældrehandleplan med få konkrete mål",
];

/// Topics not to be raised with the child.
pub const TOPICS_TO_AVOID: &[&str] = &[
    "Anbringelsen og sagen i kommunen",
    "Hjemgivelse og klagesager",
    "Plejefamiliens forhold",
    "Konflikten mellem forældrene",
    "Hvor barnet bor",
    "Løfter om flere eller længere samvær",
    "Forælderens egen sygdom",
    "Familiens økonomi",
    "Den verserende straffesag",
];

/// How the child comes and goes (`{omsorg}` is the caregiver's role).
/// The first three suit every age; the last only young people.
pub const TRANSPORT: &[&str] = &[
    "{omsorg} bringer og henter barnet",
    "Barnet køres i taxa, som kommunen bestiller",
    "{omsorg} bringer barnet, og samværskonsulenten følger barnet ud bagefter",
    "Den unge tager selv bussen og giver besked ved ankomst",
];

/// Others who may attend, besides the named family.
pub const OTHERS_MAY_ATTEND: &[&str] = &[
    "Søskende, der bor hos mor, kan deltage efter aftale",
    "Mormor kan deltage hver anden gang",
    "Farmor kan deltage ved fødselsdage",
    "Mors nye samlever deltager ikke",
];

/// Further conditions for visitation.
pub const OTHER_CONDITIONS: &[&str] = &[
    "Samværet afbrydes, hvis forælderen møder påvirket op.",
    "Afbud gives senest dagen før kl. 12 til samværskonsulenten.",
    "Samtalen foregår på dansk, så samværskonsulenten kan følge med.",
    "Forælderen må ikke spørge til barnets adresse eller skole.",
    "Der må ikke optages lyd eller video under samværet.",
];

/// Notes from the caseworker on an order.
pub const REFERRAL_NOTES: &[&str] = &[
    "Forældrene har ønsket, at samværene ligger om eftermiddagen efter skole.",
    "Der er brug for tolk (arabisk) ved opstartsmødet.",
    "Barnet har en diagnose inden for autismespektret og har brug for forudsigelighed og forberedelse.",
    "Kommunen ønsker en statusskrivelse forud for det næste opfølgningsmøde.",
    "Familien har tidligere haft praktisk pædagogisk støtte, som sluttede for et år siden.",
];

/// Why a referral was rejected.
pub const REJECTION_REASONS: &[&str] = &[
    "Vi kan ikke stille en uddannet samværskonsulent til rådighed i weekenderne i den ønskede periode. Sagsbehandler er orienteret og har fået henvisning til et andet tilbud.",
    "Familien bor uden for vores område, og kørselstiden gør det ikke muligt at levere støtten med den ønskede hyppighed. Aftalt med sagsbehandler.",
];

/// Why a referral's terms changed.
pub const VERSION_REASONS: &[&str] = &[
    "Perioden er forlænget efter opfølgningsmødet",
    "Hyppigheden er ændret efter aftale med forældrene",
    "Timetallet er forhøjet",
    "Vilkårene for samværet er justeret",
];

/// Notes on a committee decision.
pub const DECISION_NOTES: &[&str] = &[
    "Afgørelsen er truffet på udvalgsmødet. Forældrene er orienteret om klageadgangen.",
    "Udvalget har lagt vægt på barnets egne udtalelser og på skolens underretning.",
    "Afgørelsen revurderes inden periodens udløb.",
];

/// Notes on a suspension of visitation at the child's request.
pub const SUSPENSION_NOTE_CHILD: &str = "{barn} har selv bedt om en pause i samværet. Kommunen har besluttet at suspendere samværet i perioden og følger op med {barn} og forældrene inden perioden udløber.";
/// Notes on a suspension decided by the municipality.
pub const SUSPENSION_NOTE_MUNICIPALITY: &str = "Kommunen har besluttet at suspendere samværet midlertidigt, mens der følges op på en bekymring. Samværskonsulenten planlægger ikke samvær i perioden.";

/// How a consent was given.
pub const CONSENT_NOTES: &[&str] = &[
    "Skriftligt samtykke modtaget",
    "Givet mundtligt på opstartsmødet og noteret",
    "Samtykkeerklæring underskrevet",
    "Givet over telefonen og bekræftet på mail",
];

/// Who brought the child (`{omsorg}` is the caregiver's role).
pub const BROUGHT_BY: &[&str] =
    &["{omsorg}", "{omsorg}", "en taxachauffør (kørsel bestilt af kommunen)", "en pædagog fra anbringelsesstedet"];

/// Why an appointment was cancelled by the parent.
pub const CANCEL_PARENT: &[&str] = &[
    "Forælderen er syg",
    "Afbud på grund af arbejde",
    "Forælderen har ikke bekræftet tiden",
    "Forælderen har en lægeaftale",
];
/// Why an appointment was cancelled by the child.
pub const CANCEL_CHILD: &[&str] =
    &["Barnet er sygt", "Den unge ønskede ikke at komme denne gang", "Barnet er på lejrskole"];
/// Why an appointment was cancelled by the placement setting.
pub const CANCEL_PLACEMENT: &[&str] =
    &["Plejefamilien er på ferie", "Barnet skal til tandlæge", "Sygdom i plejefamilien"];
/// Why an appointment was cancelled by the municipality.
pub const CANCEL_MUNICIPALITY: &[&str] =
    &["Aflyst af sagsbehandler", "Flyttet efter aftale med sagsbehandler", "Kommunen har ændret planen"];
/// Why an appointment was cancelled by the provider.
pub const CANCEL_PROVIDER: &[&str] =
    &["Ingen ledig medarbejder", "Lokalet var ikke til rådighed", "Medarbejderen blev syg"];

/// Why a visit ended early.
pub const ENDED_EARLY: &[&str] = &[
    "Samværet blev afsluttet efter 45 minutter, fordi {forælder} gentagne gange talte om sagen trods påmindelser. {barn} blev fulgt ud til {omsorg}.",
    "{barn} blev meget ked af det og bad selv om at stoppe. Samværet blev afsluttet roligt, og {forælder} fik tilbudt en samtale bagefter.",
    "{forælder} fremstod påvirket ved ankomsten. Samværet blev afsluttet efter kort tid, som vilkårene foreskriver, og sagsbehandler er orienteret.",
];

/// Incidents during a visit.
pub const INCIDENTS: &[&str] = &[
    "{forælder} tog sin telefon frem for at tage billeder og blev mindet om vilkårene. Telefonen blev lagt væk.",
    "{forælder} begyndte at tale om hjemgivelse. Samværskonsulenten afbrød venligt, og samtalen blev ført over på legen.",
    "{barn} slog sig let på legepladsen og blev trøstet af {forælder}. Ingen skade.",
    "{forælder} havde en gave med, som ikke var aftalt på forhånd. Gaven blev givet efter aftale med samværskonsulenten.",
];

/// Session notes after a visit: an opening, what happened, and the end; `{bragt}` is who brought the child.
pub const VISIT_OPENINGS: &[&str] = &[
    "{barn} blev bragt af {bragt}. {forælder} var mødt i god tid og tog imod med et smil.",
    "{barn} kom med {bragt} og var lidt genert i starten, men faldt hurtigt til.",
    "{forælder} kom et kvarter for sent, og {barn} var urolig i ventetiden.",
    "{barn} var træt ved ankomsten og havde brug for tid til at falde til. {forælder} gav plads og ventede.",
    "{barn} løb hen til {forælder}, så snart døren gik op.",
    "{forælder} havde medbragt frugt og en bog, som {barn} straks ville se.",
];
pub const VISIT_ACTIVITIES: &[&str] = &[
    "De læste sammen og byggede med klodser, og {barn} søgte flere gange kontakt til {forælder}.",
    "De var på legepladsen det meste af tiden. {forælder} fulgte godt med og roste.",
    "{forælder} og {barn} bagte boller og spiste dem sammen bagefter. {forælder} lod {barn} gøre det meste selv.",
    "De spillede spil. {barn} tabte et par gange og blev frustreret, og {forælder} hjalp med at komme videre.",
    "{barn} fortalte om skolen og viste billeder fra en udflugt. {forælder} lyttede og spurgte interesseret.",
    "De tegnede og så en film i sofaen. Stemningen var rolig og hyggelig.",
    "{forælder} begyndte at tale om sagen. Samværskonsulenten mindede om aftalen, og {forælder} skiftede emne.",
];
pub const VISIT_ENDINGS: &[&str] = &[
    "Afslutningen gik roligt.",
    "Ved afslutningen blev {barn} ked af det, og {forælder} trøstede på en god måde.",
    "{forælder} forberedte {barn} på afslutningen ti minutter før, og afskeden gik fint.",
    "Mod slutningen blev der talt om, hvornår de ses igen, og det tog {barn} pænt.",
    "Vi har aftalt at tale om mødetiden ved næste vejledning.",
];

/// Session notes after guidance before a visit.
pub const NOTES_GUIDANCE_BEFORE: &[&str] = &[
    "Vejledning før samvær: {forælder} fortalte om ugen, der havde været hård. Vi aftalte at lade {barn} bestemme legen i dag.",
    "Vejledning før samvær: Vi gennemgik dagens plan og aftalte, hvordan afslutningen skal forløbe.",
    "Vejledning før samvær: {forælder} var spændt. Vi talte om at holde voksensnak uden for samværet.",
];

/// Session notes after guidance after a visit.
pub const NOTES_GUIDANCE_AFTER: &[&str] = &[
    "Vejledning efter samvær: Vi talte om, hvad der gik godt. {forælder} var glad for afslutningen. Næste gang øver vi at forberede {barn} på, at samværet slutter.",
    "Vejledning efter samvær: {forælder} oplevede, at {barn} var mere afslappet end sidst. Vi holder fast i den faste rækkefølge for samværet.",
    "Vejledning efter samvær: Vi drøftede situationen med telefonen og vilkårene for samværet. {forælder} forstod baggrunden.",
];

/// Notes after the talk with the child after a visit.
pub const NOTES_CHILD_TALK: &[&str] = &[
    "Kort samtale med {barn} efter samværet. {barn} syntes, det var sjovt at spille med {forælder}, men svært at sige farvel.",
    "{barn} havde ikke lyst til at tale så meget i dag, men sagde, at samværet var okay. Vi aftalte at tale sammen igen næste gang.",
    "{barn} fortalte, at det var dejligt at se {forælder}, og spurgte til næste samvær.",
];

/// Notes after the talk with the caregiver after a visit.
pub const NOTES_CAREGIVER_TALK: &[&str] = &[
    "Kort samtale med {omsorg} om samværet og om, hvordan {barn} plejer at have det bagefter. Vi aftalte at høres ved, hvis {barn} sover dårligt.",
    "{omsorg} fortalte, at {barn} var glad i bilen på vej hjem efter sidste samvær. Vi delte det, der gik godt i dag.",
];

/// Notes after a home-support session.
pub const NOTES_HOME: &[&str] = &[
    "Vi gennemgik morgenrutinen med billedskemaet. {forælder} fortalte, at to ud af tre morgener var gået godt. Vi aftalte at lægge tøj frem aftenen før.",
    "Besøg i hjemmet. Vi lavede aftensmad sammen, og {forælder} fik konkrete anvisninger på at inddrage børnene. God stemning.",
    "Samtale med {forælder} om grænser ved sengetid. Vi øvede en fast rækkefølge: bad, tænder, historie og lys ud. Opfølgning næste gang.",
    "Vi fulgte {barn} i skole sammen med {forælder} og talte med læreren om morgenafleveringen. Aftale om fast ugentlig besked fra skolen.",
    "Indkøb sammen med {forælder} efter madplanen. {forælder} holdt sig til listen og budgettet og var tilfreds med det.",
    "Familieøvelse med video. Vi så optagelsen igen sammen, og {forælder} lagde selv mærke til, hvor godt {barn} reagerede på ros.",
];

/// Notes after a contact-person meeting.
pub const NOTES_CONTACT: &[&str] = &[
    "Vi mødtes på en café og talte om skolen. {barn} fortæller, at matematik er svært, men at fremmødet går bedre. Vi kontakter studievejlederen sammen.",
    "Gåtur og snak om weekenden hjemme. {barn} var glad for besøget, men syntes, det var svært at tage afsted igen.",
    "Vi var til prøvetræning i den lokale klub. {barn} var nervøs først, men fik talt med et par af de andre og vil gerne igen.",
    "Vi udfyldte sammen en ansøgning om ungdomsbolig og lavede et budget. {barn} tog selv styringen på det meste.",
    "{barn} aflyste først, men kom alligevel. Vi talte om en konflikt med en kammerat, og {barn} fandt selv en måde at tage kontakt på.",
    "Vi øvede en jobsamtale til et fritidsjob. {barn} var velforberedt og havde skrevet spørgsmål ned.",
];

/// Notes after a parent-programme session.
pub const NOTES_PARENT: &[&str] = &[
    "Samtale med {forælder} om tiden efter anbringelsen. {forælder} gav udtryk for sorg og vrede. Vi talte om, hvad der kan gøre samværene lettere.",
    "Vi gennemgik forældrehandleplanen. {forælder} vurderer selv, at målet om at komme til tiden er tæt på at være nået.",
    "{forælder} fortalte om en god telefonsamtale med anbringelsesstedet. Vi talte om, hvordan samarbejdet holdes i gang.",
    "Vi kortlagde {forælder}s netværk. Der er flere, der gerne vil hjælpe, blandt andre en søster og en nabo.",
    "Samtale om at forberede næste opfølgningsmøde. {forælder} skrev selv punkter ned, som skal tages op.",
];

/// Notes after a start meeting.
pub const NOTES_START: &[&str] = &[
    "Opstartsmøde med forældre, sagsbehandler og koordinator. Vi gennemgik vilkårene, aftalte de praktiske forhold og viste rundt i lokaler og have. {forælder} ønsker, at der står legetøj klar, som passer til {barn}s alder.",
    "Opstartsmøde, hvor forløbets mål blev drøftet. Familien fortalte om deres ønsker til forandring, og der blev aftalt mødetider for de første uger.",
];

/// Notes after a follow-up meeting.
pub const NOTES_FOLLOW_UP: &[&str] = &[
    "Opfølgningsmøde med sagsbehandler. Forløbet blev gennemgået, og den seneste beskrivelse var på forhånd læst igennem med forældrene. Det blev aftalt at fortsætte med samme hyppighed.",
    "Opfølgningsmøde. Sagsbehandler vil vurdere, om samværet kan udvides. Der er enighed om, at de faste rammer har hjulpet.",
];

/// Notes after a network meeting.
pub const NOTES_NETWORK: &[&str] = &[
    "Netværksmøde indkaldt af sagsbehandler med skole og anbringelsessted. Der blev aftalt en fælles plan for overgangen til ny klasse.",
    "Netværksmøde om samarbejdet mellem forældre, anbringelsessted og kommune. Alle parter bidrog, og der blev aftalt faste telefontider.",
];

/// Oral information of significance, noted promptly.
pub const NOTES_ORAL: &[&str] = &[
    "Sagsbehandler ringede og oplyste, at der afholdes møde i kommunen om den videre plan. Vi inviteres med.",
    "{omsorg} ringede og fortalte, at {barn} har sovet dårligt efter sidste samvær. Vi følger op ved næste samvær.",
    "{forælder} ringede og spurgte, om samværet kan flyttes en time. Sagsbehandler er spurgt.",
];

/// Phrases for written descriptions: the course of the visit.
pub const DESCRIPTION_COURSE: &[&str] = &[
    "{forælder} tog imod {barn} med et knus. De satte sig i sofaen og læste højt, og {barn} lagde sig tæt ind til {forælder}.",
    "Samværet begyndte lidt afventende. Efter en halv time legede {barn} og {forælder} med dukkehuset, og {barn} grinede flere gange.",
    "{barn} ville gerne ud på legepladsen. {forælder} fulgte med og skubbede på gyngen. Inden for spiste de den mad, {forælder} havde med.",
    "{forælder} havde forberedt et spil. {barn} tabte de første gange og blev frustreret, og {forælder} hjalp med at få spillet videre.",
];

/// Phrases for written descriptions: the end of the visit.
pub const DESCRIPTION_END: &[&str] = &[
    "Afslutningen forløb roligt. {forælder} forberedte {barn} ti minutter før, og de sagde farvel ved døren.",
    "{barn} blev ked af det ved afslutningen. {forælder} trøstede og sagde, at de ses igen snart.",
    "Afslutningen var kort og venlig. {barn} gik selv ud til {omsorg}.",
];

/// Phrases for written descriptions: the practitioner's assessment.
pub const DESCRIPTION_ASSESSMENT: &[&str] = &[
    "Samværskonsulentens vurdering: Vilkårene blev overholdt, og {barn} virkede tryg under hele samværet.",
    "Samværskonsulentens vurdering: {forælder} var opmærksom på {barn}s behov og tog imod vejledning undervejs.",
    "Samværskonsulentens vurdering: Samværet var præget af god kontakt, men {forælder} har fortsat brug for hjælp til at afslutte.",
];

/// Status-letter sections.
pub const STATUS_COURSE: &[&str] = &[
    "Forløbet har været stabilt, og de fleste aftaler er gennemført som planlagt.",
    "Forløbet har haft en svær start med flere aflysninger, men de seneste uger har været stabile.",
    "Forløbet har været præget af god fremdrift og et tæt samarbejde.",
];
/// Status-letter sections: cooperation.
pub const STATUS_COOPERATION: &[&str] = &[
    "Samarbejdet med familien er godt. {forælder} møder op og er åben for vejledning.",
    "Samarbejdet er blevet bedre undervejs. {forælder} tager i dag selv kontakt, når noget er svært.",
    "Samarbejdet med anbringelsesstedet og kommunen fungerer, og aftaler bliver fulgt op.",
];
/// Status-letter sections: themes worked with.
pub const STATUS_THEMES: &[&str] = &[
    "Struktur og rytme i hverdagen, samspillet mellem forælder og barn og samarbejdet med skolen.",
    "Forberedelse og afslutning af samvær, og hvordan barnets signaler kan forstås.",
    "Den unges skolegang, fritidsliv og kontakt med familien.",
    "Forældrenes egne mål, deres netværk og samarbejdet med anbringelsesstedet.",
];
/// Status-letter sections: recommendation.
pub const STATUS_RECOMMENDATION: &[&str] = &[
    "Vi anbefaler, at forløbet fortsætter med samme hyppighed i den næste periode.",
    "Vi anbefaler, at hyppigheden gradvist nedtrappes frem mod afslutningen.",
    "Vi anbefaler et opfølgningsmøde om, hvordan forløbet kan afsluttes godt.",
];

/// The child's own views in a status or closing letter (a child of 10 or more
/// is heard), as the practitioner wrote them down after talking with the child.
pub const CHILD_VIEWS: &[&str] = &[
    "{barn} fortæller, at det er rart at have en voksen at tale med, og vil gerne fortsætte som nu.",
    "{barn} siger, at det er blevet bedre, men at der stadig er for mange skænderier om morgenen.",
    "{barn} vil gerne bestemme lidt mere over, hvad vi laver, når vi ses.",
    "{barn} fortæller, at det hjælper at vide på forhånd, hvem der kommer, og hvad der skal ske.",
    "{barn} ønsker ikke at sige så meget om forløbet, men siger, at det går fint.",
    "{barn} er glad for de faste aftaler og håber, at de kan fortsætte efter sommerferien.",
];

/// A family's comments on a document.
pub const FAMILY_COMMENTS: &[&str] = &[
    "Vi er enige i beskrivelsen, men vil gerne tilføje, at vi selv synes, samværene er blevet meget bedre.",
    "Jeg er ikke enig i afsnittet om mødetider. Bussen var forsinket de to gange.",
    "Tak for en fin beskrivelse. Vi vil gerne tale om weekenderne på næste møde.",
];

/// Goals in a parent action plan, in the parents' own words, with their motivation.
pub const PLAN_GOALS: &[(&str, &str)] = &[
    ("Jeg vil komme til tiden til alle samvær", "{barn} skal ikke sidde og vente og blive bekymret"),
    (
        "Jeg vil kunne tale roligt med {omsorg}, når vi ses",
        "Det er bedst for {barn}, at vi voksne er venlige over for hinanden",
    ),
    (
        "Jeg vil have styr på min egen hverdag, så jeg kan overskue samværene",
        "Jeg vil være en mor/far, {barn} kan regne med",
    ),
    ("Vi vil have en fast telefontid med {barn} hver søndag", "{barn} savner os mellem samværene"),
    (
        "Jeg vil sige til {barn}, at det er i orden at være glad for at bo der",
        "{barn} skal ikke have dårlig samvittighed over for mig",
    ),
    (
        "Jeg vil selv deltage i møderne om {barn}s skole",
        "Jeg vil gerne være med til at bestemme, selvom {barn} ikke bor hjemme",
    ),
];

/// Actions towards a plan goal, with who does them (`{rel}`: "mor" or "far").
pub const PLAN_ACTIONS: &[(&str, &str)] = &[
    ("Sætte alarm på telefonen dagen før samvær", "{rel}"),
    ("Aftale faste tidspunkter for opkald med anbringelsesstedet", "{rel} og familiebehandleren"),
    ("Deltage i forældregruppen hver anden tirsdag", "{rel}"),
    ("Tale med egen læge om søvn og overskud", "{rel}"),
    ("Forberede spørgsmål til opfølgningsmødet", "{rel} og familiebehandleren"),
    ("Invitere mormor med til et samvær", "{rel}"),
    ("Skrive en lille hilsen til {barn} efter hvert samvær", "{rel}"),
];

/// The parents' resources and network.
pub const PLAN_RESOURCES: &[&str] = &[
    "Mormor bor tæt på og kan give praktisk hjælp",
    "Har et godt forhold til sin søster",
    "Har fast arbejde og en fast døgnrytme",
    "Vil gerne samarbejde og tager imod råd",
    "Er i gang med behandling og møder stabilt op",
    "En veninde kan tage med til møder",
    "Er god til at lege og finde på aktiviteter med {barn}",
];

/// Notes from plan reviews.
pub const PLAN_REVIEW_NOTES: &[&str] = &[
    "Forældrene oplever fremgang, især med at holde aftaler.",
    "Første mål er næsten nået. Vi tager hul på det næste.",
    "En svær periode, men forældrene har holdt fast i planen.",
    "Forældrene vurderer selv, at samarbejdet med anbringelsesstedet er blevet roligere.",
];

/// Notes on contact-person focus areas.
pub const FOCUS_NOTES: &[&str] = &[
    "Aftalt med {barn} at tale om det hver anden gang.",
    "{barn} vil gerne have hjælp til at tage det første skridt.",
    "Der følges op sammen med kontaktlæreren.",
    "{barn} har selv valgt dette område.",
    "Går godt. Vi holder fast i de faste aftaler.",
];

/// Places a contact person meets the young person.
pub const CONTACT_PLACES: &[&str] =
    &["Café i midtbyen", "Biblioteket", "Den unges skole", "Gåtur fra stationen", "Ungdomsklubben", "Fitnesscentret"];

/// Places for home-support sessions outside the home.
pub const HOME_SUPPORT_PLACES: &[&str] =
    &["Indkøb i den lokale dagligvarebutik", "Aflevering i daginstitutionen", "Barnets fritidsaktivitet", "Skolen"];

/// Places for parent-programme sessions outside the provider.
pub const PARENT_PLACES: &[&str] = &["Gåtur i byen", "Café i midtbyen"];

/// Replaces the placeholders of a template that forms whole sentences.
pub fn fill(template: &str, vars: &Vars<'_>) -> String {
    capitalise_sentences(&fill_fragment(template, vars))
}

/// Replaces the placeholders of a template used inside a sentence (no capitals added).
pub fn fill_fragment(template: &str, vars: &Vars<'_>) -> String {
    let mut s = template.replace("{barn}s", &genitive(vars.child));
    s = s.replace("{forælder}s", &genitive(vars.parent));
    s = s.replace("{barn}", vars.child);
    s = s.replace("{forælder}", vars.parent);
    s = s.replace("{rel}", vars.relation);
    s = s.replace("{bragt}", vars.brought_by);
    s.replace("{omsorg}", vars.caregiver)
}

/// The text with its first letter in upper case.
pub fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The values of a template's placeholders.
pub struct Vars<'a> {
    pub child: &'a str,
    pub parent: &'a str,
    pub relation: &'a str,
    pub brought_by: &'a str,
    pub caregiver: &'a str,
}

/// Danish genitive: `Anna` → `Annas`, `Lucas` → `Lucas'`.
pub fn genitive(name: &str) -> String {
    if name.ends_with(['s', 'x', 'z']) { format!("{name}'") } else { format!("{name}s") }
}

/// Upper-cases the first letter of the text and of each sentence, so that a
/// placeholder such as `{omsorg}` ("plejemor") can open a sentence.
fn capitalise_sentences(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_start = true;
    for c in s.chars() {
        if at_start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            at_start = false;
        } else {
            out.push(c);
            if matches!(c, '.' | '!' | '?' | '\n') {
                at_start = true;
            } else if !c.is_whitespace() {
                at_start = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_filled_in_correct_danish() {
        let v = Vars { child: "Lucas", parent: "Sara", relation: "mor", brought_by: "plejemor", caregiver: "plejemor" };
        assert_eq!(
            fill("{omsorg} bringer {barn}s taske. {omsorg} går.", &v),
            "Plejemor bringer Lucas' taske. Plejemor går."
        );
        assert_eq!(fill("At {rel} følger {barn}s leg", &v), "At mor følger Lucas' leg");
    }
}
