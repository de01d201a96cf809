"""HTML documents from Jinja2 templates (the board report and the printable pages). Imports the layers below it and
figures.
"""
