"""``python -m kupiansk_map`` runs the ``kupiansk-map`` command."""

import sys

from kupiansk_map.cli.main import main

sys.exit(main())
