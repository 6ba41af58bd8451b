//! Providers: the units that deliver interventions.

use super::prelude::*;
use samvirke_domain::documentation::{DocumentationSettings, StatusLetterCadence};
use samvirke_domain::organisation::Provider;

/// The tag of these routes.
pub const TAG: &str = "providers";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one)).routes(routes!(settings, set_settings))
}

/// A new provider.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProviderInput {
    /// The name, e.g. `Familiehuset Vest`.
    #[schema(required = true, value_type = String)]
    pub name: Option<String>,
    /// The municipalities it serves (at least one).
    #[schema(required = true, value_type = Vec<MunicipalityId>)]
    pub municipalities: Option<Vec<String>>,
}

/// List providers
///
/// By name.
#[utoipa::path(get, path = "/providers", tag = TAG, params(PageQuery), responses((status = 200, body = Paged<Provider>)))]
async fn list(State(app): State<AppState>, Query(q): Query<PageQuery>) -> ApiResult<Json<Paged<Provider>>> {
    let page = q.parse()?;
    let all = app.read().await?.providers().await?;
    Ok(Json(Paged::from_all(all, page, |p| p.id.uuid())))
}

/// Add a provider
#[utoipa::path(post, path = "/providers", tag = TAG, request_body = ProviderInput, responses((status = 201, body = Provider)))]
async fn create(State(app): State<AppState>, Json(input): Json<ProviderInput>) -> ApiResult<Created<Provider>> {
    let mut v = Validator::new();
    let name = v.check("name", parse::text(&input.name));
    if input.municipalities.as_ref().is_none_or(Vec::is_empty) {
        v.push("municipalities", Problem::Required);
    }
    let mut tx = app.write().await?;
    let municipalities: Option<Vec<MunicipalityId>> =
        known_ids(&mut v, &mut *tx, "municipalities", &input.municipalities).await?;
    let provider =
        v.build(|| Provider { id: ProviderId::new(), name: name.unwrap(), municipalities: municipalities.unwrap() })?;
    tx.insert_provider(&provider).await?;
    tx.commit().await?;
    Ok(created(provider))
}

/// One provider
#[utoipa::path(get, path = "/providers/{id}", tag = TAG, params(("id" = ProviderId, Path)), responses((status = 200, body = Provider)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<ProviderId>) -> ApiResult<Json<Provider>> {
    Ok(Json(app.read().await?.provider(id).await?))
}

/// A provider's documentation settings, whole.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SettingsInput {
    /// Danish working days from a supervised visit to its description's deadline (1–20).
    #[schema(required = true, value_type = u8)]
    pub description_due_working_days: Option<i64>,
    /// Days before a committee decision expires that the coordinator is warned (1–365).
    #[schema(required = true, value_type = u16)]
    pub decision_warning_days: Option<i64>,
    /// Weeks between status letters per intervention (1–104); absent or null: only the closing letter.
    #[schema(required = true)]
    pub status_letters: Option<CadenceInput>,
}

/// Weeks between status letters, per intervention.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CadenceInput {
    /// Supported visitation.
    #[schema(value_type = Option<u16>)]
    pub supported_visitation: Option<i64>,
    /// Supervised visitation.
    #[schema(value_type = Option<u16>)]
    pub supervised_visitation: Option<i64>,
    /// Home support.
    #[schema(value_type = Option<u16>)]
    pub home_support: Option<i64>,
    /// Contact person.
    #[schema(value_type = Option<u16>)]
    pub contact_person: Option<i64>,
    /// Parent programme.
    #[schema(value_type = Option<u16>)]
    pub parent_programme: Option<i64>,
}

/// A number for a field whose range the domain checks: one that does not
/// even fit the field's type is passed as 0, which the domain refuses with
/// the field's real range.
fn fitted<T: TryFrom<i64> + Default>(n: i64) -> T {
    T::try_from(n).unwrap_or_default()
}

/// The documentation settings
///
/// The defaults until the provider sets its own.
#[utoipa::path(get, path = "/providers/{id}/documentation-settings", tag = TAG, params(("id" = ProviderId, Path)), responses((status = 200, body = DocumentationSettings)))]
async fn settings(State(app): State<AppState>, Path(id): Path<ProviderId>) -> ApiResult<Json<DocumentationSettings>> {
    let mut tx = app.read().await?;
    tx.provider(id).await?;
    Ok(Json(tx.documentation_settings(id).await?))
}

/// Set the documentation settings
///
/// How many working days a description may take, how early a coordinator is
/// warned before a committee decision expires, and the status-letter cadence.
/// Each field is checked by the domain.
#[utoipa::path(put, path = "/providers/{id}/documentation-settings", tag = TAG, params(("id" = ProviderId, Path)), request_body = SettingsInput, responses((status = 200, body = DocumentationSettings)))]
async fn set_settings(
    State(app): State<AppState>,
    Path(id): Path<ProviderId>,
    Json(input): Json<SettingsInput>,
) -> ApiResult<Json<DocumentationSettings>> {
    let mut v = Validator::new();
    let days = v.check("description_due_working_days", parse::required(&input.description_due_working_days));
    let warn = v.check("decision_warning_days", parse::required(&input.decision_warning_days));
    if input.status_letters.is_none() {
        v.push("status_letters", Problem::Required);
    }
    let c = input.status_letters.as_ref();
    let weeks = |f: fn(&CadenceInput) -> Option<i64>| c.and_then(f).map(fitted::<u16>);
    let cadence = StatusLetterCadence {
        supported_visitation: weeks(|c| c.supported_visitation),
        supervised_visitation: weeks(|c| c.supervised_visitation),
        home_support: weeks(|c| c.home_support),
        contact_person: weeks(|c| c.contact_person),
        parent_programme: weeks(|c| c.parent_programme),
    };
    let mut tx = app.write().await?;
    tx.provider(id).await?;
    let settings = match (days, warn) {
        (Some(days), Some(warn)) => match DocumentationSettings::new(fitted(days), fitted(warn), cadence) {
            Ok(settings) => Some(settings),
            Err(problems) => {
                problems.into_iter().for_each(|(field, problem)| v.push(field, problem));
                None
            }
        },
        _ => None,
    };
    v.finish()?;
    let settings = settings.expect("checked");
    tx.set_documentation_settings(id, &settings).await?;
    tx.commit().await?;
    Ok(Json(settings))
}
