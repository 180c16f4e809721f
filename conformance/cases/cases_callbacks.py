from _lib import json_body

CASES = [
    json_body("create", "/invoices/?callback_url=https://example.com/hooks", {"id": "1", "customer": "ann", "total": 3}),
    json_body("create bad url", "/invoices/?callback_url=notaurl", {"id": "1", "customer": "ann", "total": 3}, bad=True),
    json_body("create bad body", "/invoices/", {"id": "1"}, bad=True),
]
