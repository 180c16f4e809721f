from datetime import date, datetime, timedelta
from uuid import UUID

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Booking(BaseModel):
    arrive: date
    check_in: datetime
    stay: timedelta


@app.put("/bookings/{booking_id}")
async def book_room(booking_id: UUID, booking: Booking):
    return {"booking_id": booking_id, "nights": booking.stay.days, "booking": booking}
