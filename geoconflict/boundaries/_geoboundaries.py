"""geoBoundaries downloads: the API's metadata, then the GeoJSON it points to, into the user cache.

The API (``{base_url}/{release}/{ISO3}/ADM{n}/``) answers with JSON metadata whose
``simplifiedGeometryGeoJSON`` (default) or ``gjDownloadURL`` link is the file. A
download is checked — HTTP status, JSON validity, a FeatureCollection with the
number of units the metadata announces — written to a temporary file and moved into
place atomically, with a sidecar recording its SHA-256, URL, licence and metadata.
Later calls use the cached file without any network access while its hash matches.

The base URL is configurable (``base_url=`` or ``$GEOCONFLICT_GEOBOUNDARIES_URL``),
so a mirror, or a local server in tests, can stand in for geoboundaries.org.

Examples
--------
>>> cache_path("AZE", 2, cache_dir="/tmp/gc-boundaries").as_posix()
'/tmp/gc-boundaries/geoboundaries/gbOpen/AZE/ADM2_simplified.geojson'
>>> path = fetch_geoboundaries("AZE", 2)  # downloads there once, then answers offline  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..settings import GEOBOUNDARIES_URL_ENV, NETWORK_RETRIES, NETWORK_TIMEOUT_S
from ..settings import cache_dir as cache_dir_for

__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_DOWNLOAD_BYTES",
    "TOTAL_TIMEOUT_S",
    "TRUSTED_HOSTS",
    "BoundaryDownloadError",
    "cache_path",
    "cached_metadata",
    "fetch_geoboundaries",
]

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://www.geoboundaries.org/api/current"
BASE_URL_ENV = GEOBOUNDARIES_URL_ENV
RELEASES = ("gbOpen", "gbHumanitarian", "gbAuthoritative")
_USER_AGENT = "geoconflict/0.1 (boundary download; +https://www.geoboundaries.org)"
_CHUNK = 1 << 20
_LFS_POINTER = b"version https://git-lfs.github.com/spec/"


class BoundaryDownloadError(OSError):
    """A boundary download failed: the network is unreachable, or what came back is not usable."""


def _offline_hint(iso3: str, level: int, cache_file: Path) -> str:
    return (
        "Offline? Pass a local boundary file instead — "
        f"load_boundaries('path/to/geoBoundaries-{iso3}-ADM{level}.geojson') "
        f"or `geoconflict join INCIDENTS --boundaries FILE` (any GeoJSON, GeoPackage, Shapefile, FlatGeobuf or "
        f"GeoParquet from geoBoundaries, GADM, Natural Earth or OCHA COD-AB); or copy the file to {cache_file}. "
        f"Files downloaded once are reused offline from the cache."
    )


def cache_path(iso3: str, level: int, *, release: str = "gbOpen", simplified: bool = True, cache_dir=None) -> Path:
    """Where the file for ``iso3``/``level`` is cached (it may not exist yet)."""
    root = cache_dir_for("boundaries") if cache_dir is None else Path(cache_dir)
    suffix = "_simplified" if simplified else ""
    return root / "geoboundaries" / release / iso3.upper() / f"ADM{int(level)}{suffix}.geojson"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _sidecar(path: Path) -> Path:
    return path.with_suffix(".meta.json")


def _cached(path: Path) -> dict | None:
    """The sidecar of a cached file that is intact, else None."""
    side = _sidecar(path)
    if not path.exists() or not side.exists():
        return None
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("sha256") != _sha256(path):
        log.warning("cached boundary file %s does not match its recorded hash; downloading it again", path)
        return None
    return meta


#: Hosts a download may be redirected to without being asked: geoBoundaries and GitHub, where its files live.
TRUSTED_HOSTS = frozenset(
    {
        "www.geoboundaries.org",
        "geoboundaries.org",
        "github.com",
        "raw.githubusercontent.com",
        "media.githubusercontent.com",
        "objects.githubusercontent.com",
    }
)
#: The API's metadata is a few kilobytes; more is not metadata.
MAX_METADATA_BYTES = 4 << 20
#: The largest boundary file accepted (geoBoundaries' largest full-resolution sets are a few hundred MB).
MAX_DOWNLOAD_BYTES = 1 << 30
#: Seconds a whole fetch may take, every attempt and both requests together: a server that trickles
#: bytes never trips the per-read timeout, so the total is bounded too.
TOTAL_TIMEOUT_S = 600.0


def _check_scheme(url: str, what: str) -> None:
    """Only http(s) is fetched: a ``file://`` or ``data:`` link in metadata is refused, clearly."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise BoundaryDownloadError(
            f"{what} {url[:120]!r} is not an http(s) address ({scheme or 'no scheme'}): geoconflict only downloads "
            "over http(s); fetch the file yourself and pass it as a local boundary file"
        )


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to the same host or an allowed one; any other is refused, naming the host."""

    def __init__(self, allowed: frozenset[str]):
        self.allowed = allowed

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_scheme(newurl, f"{req.full_url} redirects to")
        old, new = urllib.parse.urlsplit(req.full_url).hostname, urllib.parse.urlsplit(newurl).hostname
        if new != old and new not in self.allowed:
            raise BoundaryDownloadError(
                f"{req.full_url} redirects to another host, {new!r}: refused (pass allow_hosts=[{new!r}] "
                "if you trust it)"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)

    def http_error_302(self, req, fp, code, msg, headers):
        # urllib refuses a file:// or data: redirect itself, as a bare HTTP 302: say what it was
        target = urllib.parse.urljoin(req.full_url, headers.get("Location") or headers.get("URI") or "")
        _check_scheme(target, f"{req.full_url} redirects to")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


class _Fetcher:
    """HTTP(S) GETs with retries, a size cap, a per-read timeout and a deadline for the whole fetch."""

    def __init__(
        self,
        timeout: float,
        retries: int,
        backoff: float,
        *,
        total_timeout: float = TOTAL_TIMEOUT_S,
        allow_hosts=(),
        max_bytes: int = MAX_DOWNLOAD_BYTES,
    ):
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.total_timeout = float(total_timeout)
        self.deadline = time.monotonic() + self.total_timeout
        self.max_bytes = int(max_bytes)
        self.opener = urllib.request.build_opener(_Redirects(TRUSTED_HOSTS | {h.lower() for h in allow_hosts}))
        self.final_url: str | None = None

    def _left(self, url: str) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise BoundaryDownloadError(
                f"fetching {url} took more than {self.total_timeout:g} s in all and was abandoned "
                "(a slow or stalled server); try again later, raise total_timeout=, or pass a local file"
            )
        return left

    def _attempts(self, url: str, action):
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(self.backoff * 2 ** (attempt - 1), max(0.0, self.deadline - time.monotonic())))
            self._left(url)
            try:
                return action()
            except urllib.error.HTTPError as exc:
                if exc.code < 500 and exc.code not in (408, 429):
                    raise
                last = exc
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                if isinstance(getattr(exc, "reason", None), BoundaryDownloadError):
                    raise exc.reason from exc
                last = exc
            log.info("attempt %d for %s failed: %r", attempt + 1, url, last)
        assert last is not None
        raise last

    def _open(self, url: str):
        _check_scheme(url, "the address")
        req = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, "Accept": "application/json, */*"})
        resp = self.opener.open(req, timeout=min(self.timeout, self._left(url)))
        status = getattr(resp, "status", 200)
        if status != 200:
            resp.close()
            raise urllib.error.HTTPError(url, status, f"HTTP {status}", resp.headers, None)
        self.final_url = resp.geturl()
        return resp

    def _stream(self, url: str, resp, cap: int):
        """The response's blocks as they come (``read1``: a trickle is not waited for), within the cap and deadline."""
        announced = resp.headers.get("Content-Length")
        if announced is not None and announced.isdigit() and int(announced) > cap:
            raise BoundaryDownloadError(f"{url} announces {int(announced):,} bytes, more than the {cap:,} accepted")
        size = 0
        while block := resp.read1(_CHUNK):
            size += len(block)
            if size > cap:
                raise BoundaryDownloadError(f"{url} sent more than the {cap:,} bytes accepted; abandoned")
            self._left(url)
            yield block
        if announced is not None and announced.isdigit() and int(announced) != size:
            raise ConnectionError(f"download of {url} stopped after {size} of {announced} bytes")

    def get_bytes(self, url: str, cap: int = MAX_METADATA_BYTES) -> bytes:
        def action():
            with self._open(url) as resp:
                return b"".join(self._stream(url, resp, cap))

        return self._attempts(url, action)

    def get_file(self, url: str, dest) -> str:
        """Stream ``url`` into the open binary file ``dest``; returns the SHA-256."""

        def action():
            dest.seek(0)
            dest.truncate()
            h = hashlib.sha256()
            with self._open(url) as resp:
                for block in self._stream(url, resp, self.max_bytes):
                    dest.write(block)
                    h.update(block)
            dest.flush()
            return h.hexdigest()

        return self._attempts(url, action)


def _media_url(url: str) -> str | None:
    """The media.githubusercontent.com URL of a GitHub raw URL (Git LFS files live there)."""
    m = re.match(r"https://(?:raw\.githubusercontent\.com/([^/]+)/([^/]+)/|github\.com/([^/]+)/([^/]+)/raw/)(.+)", url)
    if not m:
        return None
    owner, repo = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return f"https://media.githubusercontent.com/media/{owner}/{repo}/{m.group(5)}"


def _is_lfs_pointer(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(_LFS_POINTER)) == _LFS_POINTER


def _check_geojson(path: Path, url: str, expected: int | None) -> int:
    """The number of features of a downloaded file, after checking it is the FeatureCollection announced."""
    if _is_lfs_pointer(path):
        raise BoundaryDownloadError(f"{url} returned a Git LFS pointer, not the GeoJSON file")
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BoundaryDownloadError(f"{url} did not return valid JSON ({exc}); nothing was cached") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise BoundaryDownloadError(f"{url} did not return a GeoJSON FeatureCollection; nothing was cached")
    count = len(doc["features"])
    if count == 0:
        raise BoundaryDownloadError(f"{url} returned a FeatureCollection without features; nothing was cached")
    if expected is not None and count != expected:
        raise BoundaryDownloadError(
            f"{url} holds {count} units but the geoBoundaries metadata announces {expected}; nothing was cached"
        )
    return count


@dataclass(frozen=True)
class _Request:
    """One boundary set asked for: what, where it is cached, and the API address that describes it."""

    iso3: str
    level: int
    release: str
    simplified: bool
    path: Path
    meta_url: str

    def hint(self) -> str:
        return _offline_hint(self.iso3, self.level, self.path)


def fetch_geoboundaries(
    iso3: str,
    level: int = 1,
    *,
    release: str = "gbOpen",
    simplified: bool = True,
    base_url: str | None = None,
    cache_dir: str | Path | None = None,
    timeout: float = NETWORK_TIMEOUT_S,
    retries: int = NETWORK_RETRIES,
    backoff: float = 0.5,
    refresh: bool = False,
    total_timeout: float = TOTAL_TIMEOUT_S,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    allow_hosts=(),
    sha256: str | None = None,
) -> Path:
    """Return the path of the cached geoBoundaries GeoJSON for ``iso3`` at ``level``, downloading it if needed.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code ("AZE").
    level : int
        Administrative level (0 = country, 1, 2 …).
    release : {"gbOpen", "gbHumanitarian", "gbAuthoritative"}
    simplified : bool
        The simplified geometry (default; small, enough for joins at ~100 m) or the full one.
    base_url : str, optional
        The API root; default ``$GEOCONFLICT_GEOBOUNDARIES_URL`` or :data:`DEFAULT_BASE_URL`.
    cache_dir : path, optional
        Cache root; default ``<user cache>/boundaries`` (``$GEOCONFLICT_CACHE_DIR`` honoured).
    timeout : float
        Seconds per connection attempt and per read.
    retries : int
        Further attempts after a network error, a timeout or an HTTP 5xx/429 (not after a 404).
    backoff, refresh
        Seconds before the first retry (doubled for each later one); download again though cached.
    total_timeout : float
        Seconds the whole fetch may take, all attempts together (a trickling server is abandoned).
    max_bytes : int
        The largest file accepted (streamed, abandoned past it).
    allow_hosts : list of str
        Hosts a redirect may lead to besides the one asked and :data:`TRUSTED_HOSTS`.
    sha256 : str, optional
        The file's SHA-256; one the metadata publishes (``sha256``, ``<link>SHA256``) is checked too.

    Returns
    -------
    pathlib.Path
        The GeoJSON file; its sidecar ``*.meta.json`` holds the URL, licence, SHA-256 and metadata.

    Raises
    ------
    BoundaryDownloadError
        When the network is unreachable (the message says how to pass a local file),
        the API has no such boundary set, or the download is not a valid file.
    ValueError
        For a code that is not alpha-3, or an unknown release.

    Examples
    --------
    >>> fetch_geoboundaries("Azerbaijan")
    Traceback (most recent call last):
    ...
    ValueError: 'AZERBAIJAN' is not an ISO 3166-1 alpha-3 code (e.g. 'AZE')
    >>> fetch_geoboundaries("AZE", 2).name  # doctest: +SKIP
    'ADM2_simplified.geojson'
    """
    request = _request(iso3, level, release, simplified, base_url, cache_dir)
    if not refresh and _cached(request.path) is not None:
        return request.path
    fetcher = _Fetcher(
        timeout, retries, backoff, total_timeout=total_timeout, allow_hosts=allow_hosts, max_bytes=max_bytes
    )
    meta = _read_metadata(fetcher, request)
    count = _download_into_cache(fetcher, request, meta, sha256)
    log.info("cached %s ADM%d boundaries (%d units) at %s", request.iso3, request.level, count, request.path)
    return request.path


def _request(iso3, level, release: str, simplified: bool, base_url: str | None, cache_dir) -> _Request:
    """The checked request; the base URL from the argument, ``$GEOCONFLICT_GEOBOUNDARIES_URL`` or the default."""
    iso3 = str(iso3).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", iso3):
        raise ValueError(f"{iso3!r} is not an ISO 3166-1 alpha-3 code (e.g. 'AZE')")
    if release not in RELEASES:
        raise ValueError(f"unknown geoBoundaries release {release!r}: use one of {', '.join(RELEASES)}")
    level = int(level)
    if cache_dir is not None and Path(cache_dir).exists() and not Path(cache_dir).is_dir():
        raise ValueError(f"the cache folder {cache_dir} is a file: pass a folder (it is created if missing)")
    path = cache_path(iso3, level, release=release, simplified=simplified, cache_dir=cache_dir)
    base = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    return _Request(iso3, level, release, simplified, path, f"{base}/{release}/{iso3}/ADM{level}/")


# ------------------------------------------------------------------ the API's metadata
def _read_metadata(fetcher: _Fetcher, request: _Request) -> dict:
    """The API's metadata for the request; network failures become errors that say how to work offline."""
    url, attempts = request.meta_url, fetcher.retries + 1
    try:
        raw = fetcher.get_bytes(url)
    except BoundaryDownloadError:
        raise
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise BoundaryDownloadError(
                f"geoBoundaries has no {request.release} ADM{request.level} boundaries for {request.iso3} "
                f"(HTTP 404 at {url})"
            ) from exc
        raise BoundaryDownloadError(
            f"the geoBoundaries API answered HTTP {exc.code} for {url} after {attempts} attempt(s). " + request.hint()
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise BoundaryDownloadError(
            f"could not reach the geoBoundaries API at {url} ({reason}) after {attempts} attempt(s). " + request.hint()
        ) from exc
    return _parse_metadata(raw, url)


def _parse_metadata(raw: bytes, url: str) -> dict:
    """The metadata object of an API answer (the API answers some queries with a list of one).

    Examples
    --------
    >>> _parse_metadata(b'[{"boundaryID": "AZE-ADM1"}]', "u")
    {'boundaryID': 'AZE-ADM1'}
    """
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BoundaryDownloadError(f"the geoBoundaries API at {url} did not return JSON ({exc})") from exc
    if isinstance(meta, list):
        meta = meta[0] if meta and isinstance(meta[0], dict) else None
    if not isinstance(meta, dict):
        raise BoundaryDownloadError(f"the geoBoundaries API at {url} returned no boundary metadata")
    return meta


def _download_link(meta: dict, request: _Request) -> str:
    """The file the metadata points at: simplified geometry when asked for and offered, else the full one."""
    keys = ("simplifiedGeometryGeoJSON", "gjDownloadURL") if request.simplified else ("gjDownloadURL",)
    key = next((k for k in keys if isinstance(meta.get(k), str) and meta[k]), None)
    if key is None:
        raise BoundaryDownloadError(f"the geoBoundaries metadata at {request.meta_url} has no {' or '.join(keys)} link")
    _check_scheme(meta[key], f"the metadata at {request.meta_url} links ({key}) to")
    return meta[key]


def _published_sha256(meta: dict, url: str) -> str | None:
    """The SHA-256 the metadata publishes for the file at ``url``, if it does.

    geoBoundaries' API does not publish file hashes today; a mirror's metadata may,
    as ``sha256`` or ``<link key>SHA256`` beside the link.

    Examples
    --------
    >>> _published_sha256({"gjDownloadURL": "u", "gjDownloadURLSHA256": "AB12"}, "u"), _published_sha256({}, "u")
    ('ab12', None)
    """
    keys = [f"{k}{suffix}" for k, v in meta.items() if v == url for suffix in ("SHA256", "_sha256", "Sha256")]
    for key in [*keys, "sha256", "SHA256"]:
        value = meta.get(key)
        if isinstance(value, str) and re.fullmatch(r"[0-9a-fA-F]{4,64}", value.strip()):
            return value.strip().lower()
    return None


def _announced_count(meta: dict) -> int | None:
    """The number of units the metadata announces, if it says (``admUnitCount`` is text, sometimes "12.0").

    Examples
    --------
    >>> _announced_count({"admUnitCount": "79.0"}), _announced_count({"admUnitCount": ""}), _announced_count({})
    (79, None, None)
    """
    value = meta.get("admUnitCount")
    try:
        return int(float(value)) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------ the file
def _download_into_cache(fetcher: _Fetcher, request: _Request, meta: dict, sha256: str | None = None) -> int:
    """Download, verify and install the file and its sidecar; returns the number of units.

    The file is written to a temporary name beside its place and moved in only once
    verified, so an interrupted or refused download leaves nothing in the cache.
    """
    url, expected, path = _download_link(meta, request), _announced_count(meta), request.path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as fh:
            digest = _download(fetcher, url, fh, request)
        published = _published_sha256(meta, url)
        url, digest, count = _verify(fetcher, tmp, url, digest, expected)
        _check_hash(digest, [sha256, published], url)
        _install(tmp, path, _sidecar_record(request, meta, fetcher.final_url or url, digest, count))
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_suffix(".meta.part").unlink(missing_ok=True)
    return count


def _check_hash(digest: str, expected: list[str | None], url: str) -> None:
    """The download's SHA-256 against the caller's and the metadata's, where given."""
    for want in expected:
        if want and want.lower() != digest:
            raise BoundaryDownloadError(
                f"{url} does not match its published SHA-256 ({want[:16]}…, got {digest[:16]}…): "
                "the file was changed or damaged on the way; nothing was cached"
            )


def _download(fetcher: _Fetcher, url: str, dest, request: _Request) -> str:
    """Stream ``url`` into ``dest``; returns the SHA-256."""
    try:
        return fetcher.get_file(url, dest)
    except BoundaryDownloadError:
        raise
    except urllib.error.HTTPError as exc:
        raise BoundaryDownloadError(f"downloading {url} failed: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise BoundaryDownloadError(
            f"could not download {url} ({reason}) after {fetcher.retries + 1} attempt(s). " + request.hint()
        ) from exc


def _verify(fetcher: _Fetcher, tmp: Path, url: str, digest: str, expected: int | None) -> tuple[str, str, int]:
    """``(url, sha256, units)`` of a verified download, following a Git LFS pointer to its content once."""
    try:
        return url, digest, _check_geojson(tmp, url, expected)
    except BoundaryDownloadError:
        media = _media_url(url)
        if not (media and _is_lfs_pointer(tmp)):
            raise
    # GitHub's raw URLs serve large files as LFS pointers; the content lives on media.githubusercontent.com
    try:
        with open(tmp, "w+b") as fh:
            digest = fetcher.get_file(media, fh)
    except (urllib.error.URLError, OSError) as exc:
        raise BoundaryDownloadError(f"{url} is a Git LFS pointer and {media} failed ({exc})") from exc
    return media, digest, _check_geojson(tmp, media, expected)


def _sidecar_record(request: _Request, meta: dict, url: str, digest: str, count: int) -> dict:
    """What the sidecar keeps: provenance, licence, the hash later calls check, and the API's metadata."""
    return {
        "source": "geoBoundaries",
        "release": request.release,
        "iso3": request.iso3,
        "level": request.level,
        "simplified": request.simplified,
        "url": url,
        "metadata_url": request.meta_url,
        "sha256": digest,
        "features": count,
        "licence": meta.get("boundaryLicense"),
        "boundary_id": meta.get("boundaryID"),
        "fetched": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "citation": "geoBoundaries: Runfola et al. (2020) PLOS ONE 15(4): e0231866",
        "metadata": meta,
    }


def _install(tmp: Path, path: Path, sidecar: dict) -> None:
    """Move the verified file into place, then its sidecar (each move is atomic).

    The file goes first: a file without a sidecar is not trusted as cached and is
    downloaded again, so a crash between the two moves costs a download, never a
    stale answer.
    """
    side_tmp = tmp.with_suffix(".meta.part")
    side_tmp.write_text(json.dumps(sidecar, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    os.replace(side_tmp, _sidecar(path))


def cached_metadata(path: Path) -> dict | None:
    """The sidecar of a cached download (source URL, licence, hash), if any."""
    side = _sidecar(Path(path))
    if not side.exists():
        return None
    try:
        return json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
