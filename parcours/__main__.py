"""`python -m parcours …`: the command line lives in :mod:`parcours.cli`."""

import sys

from parcours.cli import main

if __name__ == "__main__":
    sys.exit(main())
