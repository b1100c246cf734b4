"""Static archive generator for Vietnamese Party-congress news."""

__version__ = "0.1.0"
