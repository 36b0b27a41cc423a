"""The Streamlit app's own modules; ``app.py`` at the root is only its entry point.

Modules:
- ``state``: the session state, one frozen ``PageState``, and its URL form.
- ``panels``: the figures panel, one HTML element.
- ``history``: the figures over time, as charts (Altair).
"""
