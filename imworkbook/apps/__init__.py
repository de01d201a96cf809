"""ipywidgets apps (the highest package layer; only notebooks sit above it)."""
