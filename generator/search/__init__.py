"""Search stage: everything that knows Pagefind exists.

- documents.py: the page Pagefind indexes for each article, and its key
- parts.py: which part of the index each article is in; parts kept or rebuilt
- pagefind.py: the pinned binary, run as a command
- indexing.py: the parts indexed beside the other stages
- stored.py: parts kept in the build cache for later builds and CI runs
"""
