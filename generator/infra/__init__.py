"""Infrastructure the stages share; none of it knows what an article is.

- cache.py: the persistent build cache (SQLite) and content hashes
- parallel.py: work shared out to forked processes
- progress.py: stage lines and the progress bar
- files.py: paths as shown to people, folder listings, removal
"""
