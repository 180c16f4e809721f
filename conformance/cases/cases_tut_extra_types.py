from _lib import json_body

U = "/bookings/6e8bc430-9c3a-11d9-9669-0800200c9a66"
CASES = [
    json_body("ok", U, {"arrive": "2026-05-01", "check_in": "2026-05-01T14:00:00+02:00", "stay": "P3DT2H"}, method="PUT"),
    json_body("seconds", U, {"arrive": "2026-05-01", "check_in": "2026-05-01T14:00:00Z", "stay": 90000}, method="PUT"),
    json_body("timestamp", U, {"arrive": "2026-05-01", "check_in": 1777600000, "stay": "01:30:00"}, method="PUT"),
    json_body("all bad", "/bookings/nope", {"arrive": "May", "check_in": "noon", "stay": "x"}, method="PUT", bad=True),
    json_body("date with time", U, {"arrive": "2026-05-01T00:00:00", "check_in": "2026-05-01T14:00:00+00:00", "stay": "P1D"}, method="PUT"),
    json_body("date with hours", U, {"arrive": "2026-05-01T10:00:00", "check_in": "2026-05-01T14:00:00Z", "stay": "P1D"}, method="PUT", bad=True),
    json_body("uuid upper", U.upper().replace("/BOOKINGS", "/bookings"), {"arrive": "2026-05-01", "check_in": "2026-05-01T14:00:00Z", "stay": "P1D"}, method="PUT"),
]
