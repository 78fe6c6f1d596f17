"""Text tools every stage shares: sentence splitting and figures.

Takes plain text; gives sentences (`sentences`) and the figures a text states,
written one way in every language (`figures`). Imports nothing from a stage.
"""
