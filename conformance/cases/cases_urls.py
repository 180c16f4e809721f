from _lib import get


def host(name, value, bad=False):
    return get(name, "/where/a", headers=[("host", value)], bad=bad)


CASES = [
    get("a plain path", "/where/a/b"),
    get("a query as sent", "/where/a?x=1&y=%20z&x=2"),
    get("an empty query", "/where/a?"),
    get("an escaped space and a euro sign", "/where/a%20b/%E2%82%AC"),
    get("question mark, hash and backslash escaped", "/where/a%3Fb%23c%5Cd"),
    get("an escaped slash", "/where/a%2Fb"),
    host("a host with a port", "example.com:8080"),
    host("an upper-case host", "EXAMPLE.com"),
    host("an IPv6 literal with a port", "[::1]:8000"),
    host("a port with leading zeros", "example.com:00080"),
    host("a host with a space", "exa mple.com", bad=True),
    host("a port past 65535", "example.com:65536", bad=True),
    host("an empty port", "example.com:", bad=True),
    host("a bracketed non-address", "[::zz]", bad=True),
    host("a host with a slash", "example.com/evil", bad=True),
    host("a host with an at sign", "user@example.com", bad=True),
    host("an empty host", "", bad=True),
    get("a path with a NUL escape", "/where/a%00b", bad=True),
]
