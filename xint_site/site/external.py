"""``--check-external``: fetch each external URL the site links to, a few at a time.

Off by default: a build must not need the network, and a site that links to
hundreds of pages must not hammer their servers. Each URL is asked once (``HEAD``,
then ``GET`` when a server refuses ``HEAD``), at most :data:`MAX_CONCURRENT` at once,
each given ``timeout`` seconds; a failure is a warning at every place that links it.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urldefrag

from xint_site import __version__
from xint_site.problems import Problem, warning_at
from xint_site.site.link_check import Place

MAX_CONCURRENT = 8
DEFAULT_TIMEOUT = 10.0
_HEAD_REFUSED = frozenset({403, 405, 501})  # servers that answer HEAD wrongly but GET fine


def check_external(
    urls: Mapping[str, list[Place]], timeout: float = DEFAULT_TIMEOUT, jobs: int = MAX_CONCURRENT
) -> list[Problem]:
    """A warning for each place that links to a URL that does not answer with success."""
    by_resource: dict[str, list[str]] = {}
    for url in urls:
        by_resource.setdefault(urldefrag(url).url, []).append(url)
    with ThreadPoolExecutor(max(1, min(jobs, MAX_CONCURRENT))) as pool:
        reasons = dict(
            zip(by_resource, pool.map(lambda u: fetch(u, timeout), by_resource), strict=True)
        )
    problems = []
    for resource, reason in reasons.items():
        if reason is None:
            continue
        for url in by_resource[resource]:
            message = f"link to '{url}' does not resolve: {reason}"
            problems += [warning_at(p.path, p.line, message) for p in urls[url]]
    return sorted(set(problems))


def fetch(url: str, timeout: float) -> str | None:
    """None when ``url`` answers with success; otherwise why not, in a few words."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": f"xint-site/{__version__} link check"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in _HEAD_REFUSED:
                continue
            return f"{exc.code} {exc.reason}"
        except TimeoutError:
            return f"no answer within {timeout:g} s"
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                return f"no answer within {timeout:g} s"
            return str(getattr(exc.reason, "strerror", None) or exc.reason)
        except (OSError, ValueError) as exc:  # a dropped connection, a malformed URL
            return str(exc) or type(exc).__name__
    return None
