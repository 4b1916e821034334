"""`python -m sbomcheck`."""

import sys

from sbomcheck.cli import main

if __name__ == "__main__":
    sys.exit(main())
