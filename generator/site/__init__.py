"""Model stage: the site as frozen data, complete when made.

- articles.py: Article (canonical unit, final slug and URL) from the sources
- groups.py: articles by unit, term and year; units in the tree of organisations
- photos.py: Picture (a photo's published files) and Figure (where an article shows it)
"""
