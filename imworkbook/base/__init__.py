"""Foundations every layer uses: paths, the user's settings, texts (i18n) and numbers, problems, budgets, atomic
storage, safe YAML. Imports nothing else from imworkbook.
"""
