"""Read any supported SBOM into the model; the format is detected from content, never the name.

`load(path)` reads one SBOM; `load_inputs(inputs)` every SBOM that files, directories, zip
archives and standard input hold. The package, by job (docs/readers.md):

- `sources`: inputs -> the SBOMs they hold (`Source`, `Bundle`), each read with `load`;
- `_load`: bytes -> `Document` (`load`, `load_bytes`): read, digests, gzip, detect, read;
- `_bytes`: read limits, gzip guard, digests, text decoding by byte-order mark;
- `detect`: the syntax, the parse, and the reader registry that claims the parsed document;
- `interface`: `Reader`, `FastPath`, `Syntax`, the one small interface of every reader;
- `_json`, `_xml`, `_yaml`: each syntax parsed safely (decoder choice, nesting, repeated keys);
- one module per format (`cyclonedx_json`, `cyclonedx_xml`, `spdx2`, `spdx_tv`, `spdx_rdf`,
  `spdx3`), the typed JSON fast paths (`_cdx_json_typed`, `_spdx_json_typed`), CycloneDX XML
  read while parsed (`_cdx_xml_stream`) and what they share (`_cdx_common`, `_spdx_common`,
  `_checks`, `_build`, `_context`);
- `positions`: where a finding's component is written in the SBOM's bytes (for SARIF).
"""

from __future__ import annotations

from sbomcheck.ingest._bytes import DEFAULT_LIMITS, ReadLimits, read_sbom_bytes
from sbomcheck.ingest._load import load, load_bytes
from sbomcheck.ingest.detect import detect_format
from sbomcheck.ingest.sources import Bundle, load_inputs, load_inputs_lenient

__all__ = [
    "DEFAULT_LIMITS",
    "Bundle",
    "ReadLimits",
    "detect_format",
    "load",
    "load_bytes",
    "load_inputs",
    "load_inputs_lenient",
    "read_sbom_bytes",
]
