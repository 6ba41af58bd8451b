//! The catalogue of interventions. It is part of the domain, not of the
//! database: every entry carries its basis in force (Barnets lov) and its
//! former basis (Serviceloven), serialised as the domain does it.

use super::prelude::*;
use samvirke_domain::catalogue::{CATALOGUE, CatalogueEntry, Intervention};
use serde::Serialize;

/// The tag of these routes.
pub const TAG: &str = "catalogue";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(get_one))
}

/// The whole catalogue.
#[derive(Serialize, ToSchema)]
pub struct Catalogue {
    /// The five interventions, in catalogue order.
    #[schema(value_type = Vec<CatalogueEntry>)]
    pub items: Vec<&'static CatalogueEntry>,
}

/// List the interventions
///
/// The five interventions a provider delivers, each with name, purpose, target
/// group, content, methods, recommended duration and scope, legal basis in
/// force and former basis, consent rule and documentation rule.
#[utoipa::path(get, path = "/catalogue", tag = TAG, responses((status = 200, body = Catalogue)))]
async fn list() -> Json<Catalogue> {
    Json(Catalogue { items: CATALOGUE.iter().collect() })
}

/// One intervention
#[utoipa::path(get, path = "/catalogue/{code}", tag = TAG,
    params(("code" = Intervention, Path, description = "The intervention's code, e.g. `supported_visitation`")),
    responses((status = 200, body = CatalogueEntry)))]
async fn get_one(Path(code): Path<String>) -> ApiResult<Json<&'static CatalogueEntry>> {
    Intervention::from_code(&code).map(|i| Json(i.entry())).ok_or(ApiError::NotFound)
}
