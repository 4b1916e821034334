"""Time each stage of a scan in one process: read, graph, identify, paths, policy.

The collector is paused around all of it, as `sbomcheck.scan.scan` has it. Prints one line of
seconds per stage; run it a few times and take the medians (docs/performance.md).

    python benchmarks/stages.py benchmarks/out/synthetic-100000.cyclonedx-json
"""

from __future__ import annotations

import datetime
import sys
import time

from sbomcheck._gc import gc_paused
from sbomcheck.graph import build_graph
from sbomcheck.identify import identify, load_catalogue
from sbomcheck.ingest import load
from sbomcheck.policy import load_rules
from sbomcheck.scan import ScanOptions, scan_documents


def main(argv: list[str]) -> int:
    """Print the seconds of each stage for the SBOM named in `argv[1]`."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    catalogue, rules = load_catalogue(), load_rules()
    options = ScanOptions(as_of=datetime.date(2026, 1, 15), catalogue=catalogue, rules=rules)
    clock = time.perf_counter
    with gc_paused():
        start = clock()
        doc = load(argv[1])
        loaded = clock()
        graph = build_graph([doc])
        built = clock()
        matches = identify([doc], catalogue)
        identified = clock()
        nodes = [n for n in (graph.node_of(m.component) for m in matches) if n is not None]
        graph.paths_to(nodes, max_paths=options.max_paths)
        pathed = clock()
        # The whole analysis again, with findings, completeness and policy: the scan proper.
        scan_documents([doc], options)
        scanned = clock()
    print(
        f"load {loaded - start:.2f}  graph {built - loaded:.2f}  "
        f"identify {identified - built:.2f}  paths {pathed - identified:.2f}  "
        f"scan_documents (graph+identify+paths+policy) {scanned - pathed:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
