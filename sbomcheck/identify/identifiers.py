"""Package URLs, CPE names, package keys and paths, read the way identification compares them.

Both the catalogue (validating and indexing its rows) and the matcher (reading a component's
purl, CPEs and file paths) use these, so that a row and a component are always read alike.
"""

from __future__ import annotations

from urllib.parse import unquote

__all__ = [
    "DISTRO_PACKAGE_TYPES",
    "cpe_parts",
    "package_key",
    "parse_purl",
    "path_segments",
    "purl_package_key",
]

DISTRO_PACKAGE_TYPES = frozenset({"deb", "rpm", "apk", "alpm", "opkg", "ebuild"})
"""Package types whose purl namespace is the distribution (`pkg:deb/debian/kesl`,
`pkg:rpm/redhat/kesl`), not part of the package's name."""


def parse_purl(purl: str) -> tuple[str, str, str] | None:
    """(type, namespace, name) of a package URL, lower-cased and percent-decoded.

    Only what identification needs: version, qualifiers and subpath are dropped.
    """
    if not purl.startswith("pkg:"):
        return None
    rest = purl[4:].lstrip("/")
    rest = rest.split("#", 1)[0].split("?", 1)[0]
    ptype, _, path = rest.partition("/")
    if not ptype or not path:
        return None
    # NOTE: "@" separates the version, but an npm scope also starts with "@" (often written
    # unencoded); the version "@" is the last one after the final "/".
    head, _, last = path.rpartition("/")
    if "@" in last:
        last = last.rsplit("@", 1)[0]
    ns = unquote(head).strip("/").casefold()
    name = unquote(last).casefold()
    if not name:
        return None
    ptype = ptype.casefold()
    if ptype == "pypi":
        name = _pep503(name)
    return ptype, ns, name


def _pep503(name: str) -> str:
    out: list[str] = []
    for ch in name:
        if ch in "-_.":
            if not out or out[-1] != "-":
                out.append("-")
        else:
            out.append(ch)
    return "".join(out)


def cpe_parts(cpe: str) -> tuple[str, str] | None:
    """(vendor, product) of a CPE 2.3 formatted string or a CPE 2.2 URI, lower-cased."""
    low = cpe.strip().casefold()
    if low.startswith("cpe:2.3:"):
        fields = _split_cpe23(low[8:])
        if len(fields) < 3:
            return None
        vendor, product = fields[1], fields[2]
    elif low.startswith("cpe:/"):
        fields = low[5:].split(":")
        if len(fields) < 2:
            return None
        vendor = unquote(fields[1])
        product = unquote(fields[2]) if len(fields) > 2 else "*"
    else:
        return None
    vendor = vendor.replace("\\", "")
    product = product.replace("\\", "") or "*"
    if not vendor or vendor in ("*", "-"):
        return None
    return vendor, product


def _split_cpe23(body: str) -> list[str]:
    if "\\" not in body:
        return body.split(":", 3)
    out: list[str] = []
    cur: list[str] = []
    escaped = False
    for ch in body:
        if escaped:
            cur.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ":":
            out.append("".join(cur))
            cur = []
            if len(out) == 3:
                break
        else:
            cur.append(ch)
    else:
        out.append("".join(cur))
        return out
    return out


def package_key(ptype: str, name: str) -> tuple[str, str]:
    """(type, name) of a package as `package` rows and purls are compared.

    Case-insensitive; PyPI names PEP 503-normalised; a Maven `group:artifact` written with
    `/` like a purl; an MSI GUID without braces.
    """
    ptype = ptype.strip().casefold()
    name = name.strip().casefold()
    if ptype == "pypi":
        name = _pep503(name)
    elif ptype == "maven":
        name = name.replace(":", "/")
    elif ptype == "msi":
        name = name.strip("{}")
    return ptype, name


def purl_package_key(parsed: tuple[str, str, str]) -> tuple[str, str]:
    """The `package_key` of a parsed purl: the name, with the namespace unless a distro's."""
    ptype, ns, name = parsed
    if ns and ptype not in DISTRO_PACKAGE_TYPES:
        name = f"{ns}/{name}"
    return package_key(ptype, name)


def path_segments(path: str) -> tuple[str, ...]:
    """Lower-case segments of a file path or registry key, `\\` and `/` alike."""
    return tuple(s for s in path.replace("\\", "/").casefold().split("/") if s)
