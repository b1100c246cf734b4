"""What a reader's browser may do on the site: the Content-Security-Policy, in one place.

Layouts put CSP in a <meta> element on every page (as the Jinja global
`csp`); hosts that read a `_headers` file (Netlify, Cloudflare Pages) also
send it as a header, with what only a header can say.

The policy allows the site's own scripts and stylesheets and Pagefind,
nothing else: no inline script or style, no other origin's scripts, no
plugins, no frames. Pagefind 1.5.2 needs `'wasm-unsafe-eval'` (it compiles
its WebAssembly with WebAssembly.instantiate) and `worker-src 'self'` (it
starts `pagefind/pagefind-worker.js` from its own URL, not from a blob:).
Images may come from other https sites, as an article may link them.
https://www.w3.org/TR/CSP3/
"""

from __future__ import annotations

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' https:",
        "connect-src 'self'",
        "worker-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

# Ignored in a <meta> element (browsers warn about it there): header only.
CSP_HEADER = CSP + "; frame-ancestors 'none'"

HEADERS = {
    "Content-Security-Policy": CSP_HEADER,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def headers_file(base_path: str) -> str:
    """The text of a `_headers` file: every page and file under base_path gets HEADERS."""
    lines = [
        "# Security headers for hosts that read this file (Netlify, Cloudflare Pages).",
        "# Made by the archive generator; edit generator/pages/security.py, not this file.",
        f"{base_path}*",
    ]
    lines += [f"  {name}: {value}" for name, value in HEADERS.items()]
    return "\n".join(lines) + "\n"
