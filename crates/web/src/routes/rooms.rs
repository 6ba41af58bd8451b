//! Rooms at a provider, where visits and meetings take place.

use super::prelude::*;
use super::staff::{SlotInput, weekly_pattern};
use samvirke_domain::organisation::Room;

/// The tag of these routes.
pub const TAG: &str = "rooms";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one, update))
}

/// A room, new or changed.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RoomInput {
    /// Name, e.g. `Samværsrum 1`.
    #[schema(required = true, value_type = String)]
    pub name: Option<String>,
    /// How many people fit (1–1000).
    #[schema(required = true, value_type = u16)]
    pub capacity: Option<i64>,
    /// Suitable for visitation: toys, a dining table (default false).
    pub suitable_for_visits: Option<bool>,
    /// Opening hours in local time; empty means always open.
    pub opening_hours: Option<Vec<SlotInput>>,
    /// False when no longer in use (default true).
    pub active: Option<bool>,
}

impl RoomInput {
    fn parse(&self, id: RoomId, provider_id: ProviderId) -> Result<Room, ValidationErrors> {
        let mut v = Validator::new();
        let name = v.check("name", parse::text(&self.name));
        let capacity = v.check("capacity", parse::number(&self.capacity, 1u16, 1000));
        let opening_hours = weekly_pattern(&mut v, "opening_hours", &self.opening_hours);
        v.build(|| Room {
            id,
            provider_id,
            name: name.unwrap(),
            capacity: capacity.unwrap(),
            suitable_for_visits: self.suitable_for_visits.unwrap_or(false),
            opening_hours: opening_hours.unwrap(),
            active: self.active.unwrap_or(true),
        })
    }
}

/// Rooms of a provider
///
/// By name.
#[utoipa::path(get, path = "/providers/{id}/rooms", tag = TAG, params(("id" = ProviderId, Path), PageQuery), responses((status = 200, body = Paged<Room>)))]
async fn list(
    State(app): State<AppState>,
    Path(provider): Path<ProviderId>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Paged<Room>>> {
    let page = q.parse()?;
    let mut tx = app.read().await?;
    tx.provider(provider).await?;
    Ok(Json(Paged::from_all(tx.rooms(provider).await?, page, |r| r.id.uuid())))
}

/// Add a room to a provider
#[utoipa::path(post, path = "/providers/{id}/rooms", tag = TAG, params(("id" = ProviderId, Path)), request_body = RoomInput, responses((status = 201, body = Room)))]
async fn create(
    State(app): State<AppState>,
    Path(provider): Path<ProviderId>,
    Json(input): Json<RoomInput>,
) -> ApiResult<Created<Room>> {
    let mut tx = app.write().await?;
    tx.provider(provider).await?;
    let room = input.parse(RoomId::new(), provider)?;
    tx.insert_room(&room).await?;
    tx.commit().await?;
    Ok(created(room))
}

/// One room
#[utoipa::path(get, path = "/rooms/{id}", tag = TAG, params(("id" = RoomId, Path)), responses((status = 200, body = Room)))]
async fn get_one(State(app): State<AppState>, Path(id): Path<RoomId>) -> ApiResult<Json<Room>> {
    Ok(Json(app.read().await?.room(id).await?))
}

/// Change a room
///
/// Replaces the record (rooms carry no revision). The provider stays the same.
#[utoipa::path(put, path = "/rooms/{id}", tag = TAG, params(("id" = RoomId, Path)), request_body = RoomInput, responses((status = 200, body = Room)))]
async fn update(
    State(app): State<AppState>,
    Path(id): Path<RoomId>,
    Json(input): Json<RoomInput>,
) -> ApiResult<Json<Room>> {
    let mut tx = app.write().await?;
    let current = tx.room(id).await?;
    let room = input.parse(id, current.provider_id)?;
    tx.update_room(&room).await?;
    tx.commit().await?;
    Ok(Json(room))
}
