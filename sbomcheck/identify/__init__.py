"""Identify Kaspersky technology under any name: the alias catalogue and the matchers.

`load_catalogue()` reads and indexes `data/vendor_aliases.csv` (plus a user's rows);
`identify(documents, catalogue)` returns one `Match` per component, file or service that is,
or carries, Kaspersky technology, with the evidence for it. Rules: docs/aliases.md.
"""

from sbomcheck.identify.catalogue import AliasRow, Catalogue, builtin_path, load_catalogue
from sbomcheck.identify.evidence import Match
from sbomcheck.identify.matcher import identify

__all__ = ["AliasRow", "Catalogue", "Match", "builtin_path", "identify", "load_catalogue"]
