"""The ``kupiansk-map`` command.

Modules:
- ``main``: the parser and ``main``; ``build``, ``validate``, ``stats``, ``serve``, ``extract-reference``.
- ``analysis``: ``compare``, ``bands``, ``series``, ``import-snapshots``.
- ``export``: ``export --story/--html/--site/--png``.
- ``archive``: ``archive import/list/info/remove/export``.
- ``serve``: the ``streamlit run`` command line and ``serve``.
- ``common``: what they share (``load_layers_reporting``).
"""
