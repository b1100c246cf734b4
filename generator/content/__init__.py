"""Load stage: the files under content/ read, validated and rendered.

- files.py: which files are articles (sorted walk; links out of content/ refused)
- frontmatter.py: the YAML block, with the line of every field
- sources.py: one article file validated into a frozen Source
- registry.py: content/units.yaml, the tree of organisations
- markdown.py: the one MarkdownIt, with the site's rules for links and images
- photos.py: the photos a body names, and the markers left where they go
- load.py: every file through the build cache, parsed in worker processes
- scaffold.py: what a new article file says (`archive new`, `archive import`)
"""
