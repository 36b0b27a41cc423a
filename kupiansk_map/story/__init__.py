"""The presentation story and presenter mode's state.

Modules:
- ``chapters``: the story as data (``definitions/story.json``): parsing, checks against the layers, dates in words.
- ``presenter``: the presenter state (chapter, language) and its URL form, keys and chapter views.
"""
