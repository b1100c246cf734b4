"""Plan and render: every output of the site, and the layouts that make pages.

- routes.py: every page and file planned as a Route (no two at one path)
- views.py: the plain, read-only dicts templates get
- figures.py: photos as pages show them (<picture>, srcset, the lead photo)
- paginate.py: list pages
- feeds.py: Atom feeds, sitemap.xml, robots.txt
- security.py: the Content-Security-Policy and the _headers file
- render.py: the one Jinja environment
- assets.py: CSS, JS and images with content-hashed names
"""
