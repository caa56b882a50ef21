"""Tools that serve the environment: the pinned packages every notebook runs with."""
