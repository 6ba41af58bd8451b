//! Providers: the units that deliver interventions.

use super::prelude::*;
use samvirke_domain::organisation::Provider;

/// The tag of these routes.
pub const TAG: &str = "providers";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one))
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
