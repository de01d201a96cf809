"""Files in and out: reading (with migrations) and writing answers files, sessions, the workspace, spreadsheets and the
Excel route, collecting a network's files, exports, example data. Imports base and model.
"""
