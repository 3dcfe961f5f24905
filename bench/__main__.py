"""``python -m bench``: run the benchmarks and print the table (see ``bench.runner``)."""

import sys

from bench.runner import main

if __name__ == "__main__":
    sys.exit(main())
