"""Static archive generator for Vietnamese Party-congress news.

The package is grouped by stage (README, "How the code is organised"):
content/ (load) -> images/ -> site/ (model) -> pages/ (plan, render) ->
build/ (write, links, publish) with search/ beside them; commands/ and cli.py drive it,
importing/ turns news texts into articles, infra/ holds what they share.
"""

__version__ = "0.1.0"
