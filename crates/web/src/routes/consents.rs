//! Consents: given and withdrawn over time, by a named person, for a named
//! purpose. A withdrawal takes effect from its moment and never rewrites
//! history (`withdrawal_from_its_moment`). Which consents a referral needs on
//! a day, and whether they are in force, is the domain's to say.

use super::prelude::*;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use samvirke_domain::calendar::copenhagen;
use samvirke_domain::consent::{
    Consent, ConsentGiver, ConsentPurpose, GiverRole, check_withdrawal, missing_consents, required_consents,
};
use samvirke_store::{AppointmentFilter, DocumentFilter, Page, Tx};

/// The tag of these routes.
pub const TAG: &str = "consents";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
        .routes(routes!(withdraw))
        .routes(routes!(required))
}

/// A consent given.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConsentInput {
    /// The referral it concerns, if tied to one order.
    #[schema(value_type = Option<ReferralId>)]
    pub referral_id: Option<String>,
    /// Who consented.
    #[schema(required = true)]
    pub giver: Option<GiverInput>,
    /// For what.
    #[schema(required = true, value_type = ConsentPurpose)]
    pub purpose: Option<String>,
    /// When it was given (default now; it may have been given earlier, e.g. at a meeting, but not later than now).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub given_at: Option<String>,
    /// How it was given (in writing, orally at a meeting).
    pub note: Option<String>,
}

/// Who gave a consent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GiverInput {
    /// `child` or `family_member`.
    #[schema(required = true, example = "family_member")]
    pub kind: Option<String>,
    /// For `family_member`: a family member of the case.
    #[schema(value_type = Option<FamilyMemberId>)]
    pub family_member_id: Option<String>,
}

impl Parse for GiverInput {
    type Output = ConsentGiver;
    fn parse(&self) -> Result<ConsentGiver, ValidationErrors> {
        let mut v = Validator::new();
        let giver = match v.check("kind", parse::word(&self.kind)).as_deref() {
            Some("child") => Some(ConsentGiver::Child),
            Some("family_member") => {
                v.check("family_member_id", parse::id(&self.family_member_id)).map(ConsentGiver::FamilyMember)
            }
            Some(_) => {
                v.push("kind", Problem::NotAllowed);
                None
            }
            None => None,
        };
        v.build(|| giver.unwrap())
    }
}

/// The consents of a case
///
/// By time given, withdrawn ones included.
#[utoipa::path(get, path = "/cases/{id}/consents", tag = TAG, params(("id" = CaseId, Path), PageQuery), responses((status = 200, body = Paged<Consent>)))]
async fn list(
    State(app): State<AppState>,
    Path(case): Path<CaseId>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Paged<Consent>>> {
    let page = q.parse()?;
    let mut tx = app.read().await?;
    tx.case(case).await?;
    Ok(Json(Paged::from_all(tx.consents(case).await?, page, |c| c.id.uuid())))
}

/// Record a consent
#[utoipa::path(post, path = "/cases/{id}/consents", tag = TAG, params(("id" = CaseId, Path)), request_body = ConsentInput, responses((status = 201, body = Consent)))]
async fn create(
    State(app): State<AppState>,
    actor: CurrentActor,
    Path(case): Path<CaseId>,
    Json(input): Json<ConsentInput>,
) -> ApiResult<Created<Consent>> {
    let recorded_by = actor.staff_id()?;
    let mut v = Validator::new();
    let referral_id: Option<Option<ReferralId>> = v.check("referral_id", parse::opt_id(&input.referral_id));
    let giver = v.object("giver", &input.giver);
    let purpose = v.check("purpose", parse::code(&input.purpose));
    let now = parse::now();
    let given_at = v
        .check("given_at", parse::opt_timestamp(&input.given_at).and_then(|t| parse::not_after(t.unwrap_or(now), now)));
    let note = v.check("note", parse::opt_text(&input.note));

    let mut tx = app.write().await?;
    tx.case(case).await?;
    known_in_case(&mut v, &mut *tx, "referral_id", referral_id.flatten(), case).await?;
    if let Some(ConsentGiver::FamilyMember(member)) = giver {
        known_in_case(&mut v, &mut *tx, "giver.family_member_id", Some(member), case).await?;
    }
    let consent = v.build(|| Consent {
        id: ConsentId::new(),
        case_id: case,
        referral_id: referral_id.unwrap(),
        giver: giver.unwrap(),
        purpose: purpose.unwrap(),
        given_at: given_at.unwrap(),
        withdrawn_at: None,
        recorded_by,
        note: note.unwrap(),
    })?;
    tx.insert_consent(&consent).await?;
    tx.commit().await?;
    Ok(created(consent))
}

/// One consent
#[utoipa::path(get, path = "/consents/{id}", tag = TAG, params(("id" = ConsentId, Path)), responses((status = 200, body = Consent)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<ConsentId>) -> ApiResult<Json<Consent>> {
    Ok(Json(app.read().await?.consent(id).await?))
}

/// A withdrawal.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WithdrawInput {
    /// When it was withdrawn (default now): not before it was given, not in the future.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub at: Option<String>,
}

/// Withdraw a consent
///
/// The moments the case's consents were acted on: when visits and sessions
/// took place and when descriptions were sent. A withdrawal is not dated
/// before them.
async fn relied_on(tx: &mut dyn Tx, case: CaseId) -> ApiResult<Vec<Timestamp>> {
    let filter = AppointmentFilter { case: Some(case), ..Default::default() };
    let mut out: Vec<Timestamp> = tx
        .appointments(&filter, u32::MAX)
        .await?
        .into_iter()
        .filter(|a| a.outcome.as_ref().is_some_and(|o| o.took_place()))
        .map(|a| a.actual.map_or(a.planned.start, |r| r.start))
        .collect();
    let sent = DocumentFilter { case: Some(case), ..Default::default() };
    let mut page = Page { limit: Page::MAX, after: None };
    loop {
        let docs = tx.documents(&sent, page).await?;
        out.extend(docs.iter().filter_map(|d| d.sent_at));
        match docs.last() {
            Some(last) if docs.len() == Page::MAX as usize => page.after = Some(last.id.0),
            _ => break,
        }
    }
    Ok(out)
}

/// Takes effect from its moment (default now); the time it was in force stays on record.
#[utoipa::path(post, path = "/consents/{id}/withdraw", tag = TAG, params(("id" = ConsentId, Path)), request_body = WithdrawInput, responses(
    (status = 200, body = Consent),
    (status = 409, description = "Already withdrawn, or dated before it was given or in the future (`rule`: `withdrawal_from_its_moment`).", body = ErrorBody),
))]
async fn withdraw(
    State(app): State<AppState>,
    Path(id): Path<ConsentId>,
    Json(input): Json<WithdrawInput>,
) -> ApiResult<Json<Consent>> {
    let at = parse::opt_timestamp(&input.at).map_err(|p| ValidationErrors::one("at", p))?;
    let mut tx = app.write().await?;
    let mut consent = tx.consent(id).await?;
    let now = parse::now();
    let at = at.unwrap_or(now);
    let relied_on = relied_on(&mut *tx, consent.case_id).await?;
    check_withdrawal(&consent, at, now, &relied_on)?;
    tx.withdraw_consent(id, at).await?;
    tx.commit().await?;
    consent.withdrawn_at = Some(at);
    Ok(Json(consent))
}

/// The day to judge the consents of a referral on.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequiredQuery {
    /// The day (default today, in Copenhagen). Ages are counted on it.
    #[param(value_type = Option<String>, format = Date)]
    pub on: Option<String>,
}

/// A consent the referral needs, and whether it is in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequiredConsentView {
    /// Who must consent; absent when no one in the needed role is registered on the case.
    pub giver: Option<ConsentGiver>,
    /// The role the giver has.
    pub role: GiverRole,
    /// For what.
    pub purpose: ConsentPurpose,
    /// The rule that requires it.
    pub rule: samvirke_domain::rules::Rule,
    /// True when a consent of the giver for the purpose is in force: at the end of
    /// the day, or now when the day is today or later (a withdrawal is never dated ahead).
    pub in_force: bool,
    /// The rule's sections, short Danish form.
    pub sections: Vec<String>,
    /// The rule, in the request's language.
    pub rule_statement: String,
}

/// The last instant of a day in Copenhagen.
fn end_of(day: Date) -> Option<Timestamp> {
    let next = day.tomorrow().ok()?.to_zoned(copenhagen()).ok()?;
    next.timestamp().checked_sub(SignedDuration::from_micros(1)).ok()
}

/// The consents a referral needs
///
/// Which consents the referral's intervention needs on a day, from whom (the
/// young person's age counted on that day), under which rule, and whether
/// each is in force. Supervised visitation needs none: the committee decides.
#[utoipa::path(get, path = "/referrals/{id}/required-consents", tag = TAG, params(("id" = ReferralId, Path), RequiredQuery), responses((status = 200, body = Paged<RequiredConsentView>)))]
async fn required(
    State(app): State<AppState>,
    Path(id): Path<ReferralId>,
    Query(q): Query<RequiredQuery>,
    UserLang(lang): UserLang,
) -> ApiResult<Json<Paged<RequiredConsentView>>> {
    let on = parse::opt_date(&q.on).map_err(|p| ValidationErrors::one("on", p))?.unwrap_or_else(parse::today);
    let mut tx = app.read().await?;
    let referral = tx.referral(id).await?;
    let facts = CaseFacts::load(&mut *tx, referral.case_id).await?;
    let now = parse::now();
    let at = end_of(on).map_or(now, |end| end.min(now));
    let required = required_consents(referral.intervention, &referral.terms, &facts.case.child, &facts.members, on);
    let items = required
        .into_iter()
        .map(|r| {
            let info = r.rule.info();
            RequiredConsentView {
                in_force: missing_consents(&[r], &facts.consents, referral.id, at).is_empty(),
                sections: info.sections.iter().map(|s| s.short_da()).collect(),
                rule_statement: info.statement.get(lang).to_string(),
                giver: r.giver,
                role: r.role,
                purpose: r.purpose,
                rule: r.rule,
            }
        })
        .collect();
    Ok(Json(Paged::all(items)))
}
