//! Chapter "Extra data types".

use chrono::NaiveDate;
use ferroapi::{put, App, Datetime, Json, Path, Timedelta};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

// ANCHOR: types
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Booking {
    pub arrive: NaiveDate,
    // Python's `datetime`: naive or aware, as sent.
    pub check_in: Datetime,
    pub stay: Timedelta,
}

#[put("/bookings/{booking_id}")]
async fn book_room(booking_id: Path<uuid::Uuid>, booking: Json<Booking>) -> Json<Value> {
    let nights = booking.stay.0.num_days();
    Json(json!({"booking_id": *booking_id, "nights": nights, "booking": booking.0}))
}
// ANCHOR_END: types

/// The chapter's app.
pub fn app() -> App {
    App::new().route(book_room)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn dates_durations_and_uuids_read_as_pydantic_reads_them() {
        let client = TestClient::new(app());
        let body = json!({"arrive": "2026-05-01", "check_in": "2026-05-01T14:00:00+02:00", "stay": "P3DT2H"});
        let res = client
            .put("/bookings/6e8bc430-9c3a-11d9-9669-0800200c9a66")
            .json(&body)
            .send()
            .await;
        assert_eq!(res.json()["nights"], 3);
        assert_eq!(res.json()["booking"]["stay"], "P3DT2H");
        let res = client
            .put("/bookings/nope")
            .json(&json!({"arrive": "May", "check_in": 1, "stay": "x"}))
            .send()
            .await;
        let types: Vec<_> = crate::each_error(&res, "type");
        assert_eq!(
            types,
            [
                json!("uuid_parsing"),
                json!("date_from_datetime_parsing"),
                json!("time_delta_parsing")
            ]
        );
    }
}
