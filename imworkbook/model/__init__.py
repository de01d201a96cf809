"""The data model: content (maturity model, investment model, landscape, roles, glossary) and the schema of an answers
file. Imports only imworkbook.base.
"""
