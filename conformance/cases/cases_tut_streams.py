from _lib import get

CASES = [
    get("jsonl", "/arrivals.jsonl"),
    get("events", "/arrivals/events"),
]
