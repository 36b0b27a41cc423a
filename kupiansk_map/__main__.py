"""``python -m kupiansk_map`` runs the ``kupiansk-map`` command."""

import sys

from .cli import main

sys.exit(main())
