"""Summarise: a few whole sentences per article, then a blurb per story.

Takes `Article`s; gives them back with `summary` filled, and a blurb for each
`Story`. `summariser` picks the model (`extractive` by default, `abstractive`
for a local Hugging Face model with the `faithfulness` guard); `blurb` writes
the story's blurb from its members' summaries.
"""
