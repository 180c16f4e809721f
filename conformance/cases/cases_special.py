from _lib import get, json_body

V1 = "a8098c1a-f86e-11da-bd1a-00112444be1e"
V4 = "16fd2706-8baf-433b-82eb-8c7fada847da"
V5 = "886313e1-3b8a-5372-9b90-0c9aee199e5d"

CASES = [
    json_body("account masked", "/accounts", {"login": "a", "password": "hunter2"}),
    json_body("account empty secret", "/accounts", {"login": "a", "password": ""}),
    json_body("account token", "/accounts", {"login": "a", "password": "p", "token": "t"}),
    json_body("account length", "/accounts/length", {"login": "a", "password": "hunter2"}),
    json_body("account password number", "/accounts", {"login": "a", "password": 5}, bad=True),
    json_body("account password missing", "/accounts", {"login": "a"}, bad=True),
    json_body("ids v4", "/ids", {"v4": V4}),
    json_body("ids v1", "/ids", {"v1": V1}),
    json_body("ids v5", "/ids", {"v5": V5}),
    json_body("ids v4 given v1", "/ids", {"v4": V1}, bad=True),
    json_body("ids v1 given v4", "/ids", {"v1": V4}, bad=True),
    json_body("ids all wrong", "/ids", {"v4": V5, "v1": V5, "v5": V1}, bad=True),
    json_body("ids v4 not uuid", "/ids", {"v4": "x"}, bad=True),
    json_body("ids v4 number", "/ids", {"v4": 4}, bad=True),
    json_body("ids v4 simple form", "/ids", {"v4": V4.replace("-", "")}),
]

CASES += [
    json_body("links plain", "/links", {"site": "https://example.com"}),
    json_body("links normalised", "/links", {"site": "HTTP://Example.COM:80/a/../b?q=1#f"}),
    json_body("links ipv6", "/links", {"site": "http://[::1]:8080"}),
    json_body("links unicode host", "/links", {"site": "https://bücher.example/x y"}),
    json_body("links ftp", "/links", {"site": "ftp://x.org"}, bad=True),
    json_body("links relative", "/links", {"site": "example.com"}, bad=True),
    json_body("links empty", "/links", {"site": ""}, bad=True),
    json_body("links no host", "/links", {"site": "http://"}, bad=True),
    json_body("links space host", "/links", {"site": "https://exa mple.com"}, bad=True),
    json_body("links bad port", "/links", {"site": "http://a:99999"}, bad=True),
    json_body("links too long", "/links", {"site": "https://ex.com/" + "a" * 2100}, bad=True),
    json_body("links number", "/links", {"site": 5}, bad=True),
    json_body("links any mailto", "/links", {"site": "http://a", "other": "mailto:a@b.c"}),
    json_body("links any redis", "/links", {"site": "http://a", "other": "redis://h:1/0"}),
    json_body("links any relative", "/links", {"site": "http://a", "other": "x"}, bad=True),
]

CASES += [
    json_body("rect area computed", "/rects", {"w": 2, "h": 3.5}),
    json_body("rect area never read", "/rects", {"w": 2, "h": 3, "area": 100}),
    json_body("rect area wrong type ignored", "/rects", {"w": 2, "h": 3, "area": "x"}),
    json_body("rect missing", "/rects", {"w": 2}, bad=True),
]

CASES += [
    json_body("blob text", "/blobs", {"data": "abc"}),
    json_body("blob unicode", "/blobs", {"data": "héllo"}),
    json_body("blob number", "/blobs", {"data": 5}, bad=True),
    json_body("blob list", "/blobs", {"data": [1, 2]}, bad=True),
    json_body("blob null", "/blobs", {"data": None}, bad=True),
    json_body("blob short too long", "/blobs", {"data": "x", "short": "abcd"}, bad=True),
    json_body("blob short two byte char", "/blobs", {"data": "x", "short": "é"}),
    json_body("blob short too many bytes", "/blobs", {"data": "x", "short": "éé"}, bad=True),
]

CASES += [
    get("go url", "/go?url=https://x.org"),
    get("go url scheme", "/go?url=ftp://x", bad=True),
    get("go url missing", "/go", bad=True),
    get("go uuid version", "/go?url=https://x.org&id=" + V1, bad=True),
    get("go uuid v4", "/go?url=https://x.org&id=" + V4),
    get("go wait number", "/go?url=http://a&wait=90", bad=True),
    get("go wait iso", "/go?url=http://a&wait=PT1H"),
    get("go wait clock", "/go?url=http://a&wait=1:00:00"),
    get("go wait word", "/go?url=http://a&wait=x", bad=True),
]
