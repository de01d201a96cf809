"""Pure pandas: scoring, proportion (investment), priorities, landscape, roles, proposals, merging raters, the network
comparison and its disclosure control. Imports base, model and io.
"""
