//! Municipalities: the ordering authorities.

use super::prelude::*;
use samvirke_domain::organisation::{Municipality, MunicipalityCode};

/// The tag of these routes.
pub const TAG: &str = "municipalities";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one))
}

/// A new municipality.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MunicipalityInput {
    /// The official three-digit code (101–860).
    #[schema(required = true, value_type = u16, example = 657)]
    pub code: Option<i64>,
    /// The name, e.g. `Herning Kommune`.
    #[schema(required = true, value_type = String, example = "Herning Kommune")]
    pub name: Option<String>,
}

impl Parse for MunicipalityInput {
    type Output = Municipality;
    fn parse(&self) -> Result<Municipality, ValidationErrors> {
        let mut v = Validator::new();
        let code = v.check(
            "code",
            self.code
                .ok_or(Problem::Required)
                .and_then(|c| u16::try_from(c).map_err(|_| Problem::MunicipalityCode))
                .and_then(MunicipalityCode::new),
        );
        let name = v.check("name", parse::text(&self.name));
        v.build(|| Municipality { id: MunicipalityId::new(), code: code.unwrap(), name: name.unwrap() })
    }
}

/// List municipalities
///
/// By code.
#[utoipa::path(get, path = "/municipalities", tag = TAG, params(PageQuery), responses((status = 200, body = Paged<Municipality>)))]
async fn list(State(app): State<AppState>, Query(q): Query<PageQuery>) -> ApiResult<Json<Paged<Municipality>>> {
    let page = q.parse()?;
    let all = app.read().await?.municipalities().await?;
    Ok(Json(Paged::from_all(all, page, |m| m.id.uuid())))
}

/// Add a municipality
#[utoipa::path(post, path = "/municipalities", tag = TAG, request_body = MunicipalityInput, responses(
    (status = 201, body = Municipality),
    (status = 409, description = "A municipality with that code exists (`duplicate`).", body = ErrorBody),
))]
async fn create(State(app): State<AppState>, Json(input): Json<MunicipalityInput>) -> ApiResult<Created<Municipality>> {
    let municipality = input.parse()?;
    let mut tx = app.write().await?;
    tx.insert_municipality(&municipality).await?;
    tx.commit().await?;
    Ok(created(municipality))
}

/// One municipality
#[utoipa::path(get, path = "/municipalities/{id}", tag = TAG, params(("id" = MunicipalityId, Path)), responses((status = 200, body = Municipality)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<MunicipalityId>) -> ApiResult<Json<Municipality>> {
    Ok(Json(app.read().await?.municipality(id).await?))
}
