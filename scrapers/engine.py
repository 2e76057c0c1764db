"""Fetch pages the way a small provincial server needs: politely, patiently, within limits.

Every host gets its own gate: robots.txt (RFC 9309: a 4xx means no rules, an unreachable
file means stay away), a request rate that Crawl-delay can only slow down, a cap on
requests in flight, and a pause when the server answers 429 or 503 with Retry-After.
Failures that may pass (timeouts, cut connections, 429, 5xx) are retried with exponential
backoff and jitter; the rest fail at once. Each HTTP exchange reaches `record` as it ends,
except the last one of a fetch, which the caller archives together with what it made of it.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import zlib
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from pipeline import __version__
from pipeline.resources import read_toml
from scrapers.discovery import canonicalise

log = logging.getLogger("scrapers")

HTML = ("text/html", "application/xhtml")
FEED = ("xml", "rss", "atom", "text/plain", "text/html", "gzip", "octet-stream")  # feeds are often mislabelled
ANY = ("",)
_REDIRECTS = {301, 302, 303, 307, 308}
_DISALLOW_ALL = "User-agent: *\nDisallow: /\n"


@dataclass(frozen=True, slots=True)
class Policy:
    user_agent: str
    robots_agent: str = "vnsec-crawler"
    rate: float | None = 1.0  # requests per second per host; None: no limit (benchmarks, own servers)
    concurrency: int = 2
    timeout: float = 30.0
    connect_timeout: float = 10.0
    page_timeout: float = 120.0
    retries: int = 4
    backoff: float = 1.0
    max_backoff: float = 120.0
    max_retry_after: float = 600.0
    max_redirects: int = 5
    max_body: int = 10_000_000

    @classmethod
    def configured(cls, contact: str, *, polite: bool = True, **overrides: Any) -> Policy:
        """The policy of data/config/crawl.toml, with command-line values on top."""
        if not contact.strip():
            raise ValueError("a crawl needs a contact (an e-mail or URL) for its User-Agent: pass --contact, "
                             "set VNSEC_CONTACT, or set contact in data/config/crawl.toml")
        config = read_toml("config", "crawl.toml")
        values = {**config["politeness"], **config["http"], "robots_agent": config["robots_agent"],
                  **{k: v for k, v in overrides.items() if v is not None}}
        if not polite:
            values["rate"] = None
        return cls(user_agent=f"{values.pop('robots_agent')}/{__version__} (+{contact.strip()})",
                   robots_agent=config["robots_agent"], **values)


@dataclass(slots=True)
class Exchange:
    """One request and its response, with the payload as it came over the wire."""

    url: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    headers: list[tuple[str, str]]  # as received, less Transfer-Encoding: the payload is stored de-chunked
    body: bytes  # content-coding kept, so the archive has the server's bytes
    content: bytes  # content-coding removed
    date: datetime

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def charset(self) -> str | None:
        content_type = self.header("Content-Type") or ""
        return next((p.split("=", 1)[1].strip("\"' ") for p in content_type.split(";")
                     if p.strip().lower().startswith("charset=")), None)


@dataclass(slots=True)
class Result:
    url: str  # after redirects
    exchange: Exchange | None = None  # the last exchange, not yet archived
    error: str | None = None
    lasting: bool = False  # an error the next run will meet again (4xx, robots, limits), so not retried
    seen: bool = False  # redirected to a page the crawl already has


class Fault(Exception):
    """A response that is not worth reading or retrying."""


def inflate(data: bytes, coding: str, limit: int) -> bytes:
    """Undo gzip/deflate content coding, refusing output beyond `limit` bytes (zip bombs)."""
    coding = coding.strip().lower()
    if coding in ("", "identity"):
        return data
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise Fault(f"unsupported content coding {coding!r}")
    for wbits in ((47,) if "gzip" in coding else (15, -15)):
        try:
            inflater = zlib.decompressobj(wbits)
            out = inflater.decompress(data, limit + 1)
        except zlib.error as exc:
            error = exc
            continue
        if len(out) > limit:
            raise Fault(f"body over the {limit:,}-byte limit once decompressed")
        return out
    raise Fault(f"corrupt {coding} body: {error}")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            return None


class Host:
    """Everything the crawl keeps per host: its gate, its robots.txt, what it has been sent."""

    def __init__(self, interval: float, concurrency: int) -> None:
        self.interval = interval
        self.gate = asyncio.Semaphore(concurrency)
        self.next_start = 0.0
        self.paused_until = 0.0
        self.robots: Protego | None = None
        self.robots_unreachable = False  # then everything is disallowed for this run only
        self.robots_lock = asyncio.Lock()
        self.requests = 0
        self.first = self.last = 0.0
        self.recent: deque[float] = deque(maxlen=50)
        self.in_flight = self.max_in_flight = 0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self.gate:
            while (wait := max(self.next_start, self.paused_until) - time.monotonic()) > 0:
                await asyncio.sleep(wait)
            now = time.monotonic()
            self.next_start = now + self.interval
            self.requests += 1
            self.first, self.last = self.first or now, now
            self.recent.append(now)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                yield
            finally:
                self.in_flight -= 1

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    @property
    def rate(self) -> float:
        """Requests per second over the last few dozen requests."""
        if len(self.recent) < 2:
            return 0.0
        return (len(self.recent) - 1) / max(self.recent[-1] - self.recent[0], 1e-6)


class Engine:
    def __init__(self, policy: Policy, record: Callable[[Exchange, str], None]) -> None:
        self.policy = policy
        self.record = record
        self.hosts: dict[str, Host] = {}
        self.client = httpx.AsyncClient(
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate",
                     "Accept-Language": "vi, en;q=0.5"},
            timeout=httpx.Timeout(policy.timeout, connect=policy.connect_timeout),
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=64), follow_redirects=False)

    async def __aenter__(self) -> Engine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    def host(self, url: str) -> Host:
        key = urlsplit(url).netloc
        if key not in self.hosts:
            interval = 1 / self.policy.rate if self.policy.rate else 0.0
            self.hosts[key] = Host(interval, self.policy.concurrency)
        return self.hosts[key]

    async def robots(self, url: str) -> Protego:
        """The host's robots.txt, fetched once through the same gate as any page."""
        host = self.host(url)
        async with host.robots_lock:
            if host.robots is None:
                robots_url = urljoin(url, "/robots.txt")
                result = await self._follow(robots_url, "robots", ANY, {}, robots=False, seen=None)
                status = result.exchange.status if result.exchange else None
                if result.exchange:
                    self.record(result.exchange, "robots")
                if status == 200:
                    text = result.exchange.content.decode("utf-8", "replace") if result.exchange else ""
                    host.robots = Protego.parse(text)
                elif status and 400 <= status < 500:
                    host.robots = Protego.parse("")
                else:
                    log.error("%s unreachable (%s): host treated as disallowed (RFC 9309)",
                              robots_url, result.error or status)
                    host.robots, host.robots_unreachable = Protego.parse(_DISALLOW_ALL), True
                self._slow_down(host, robots_url)
            return host.robots

    def _slow_down(self, host: Host, robots_url: str) -> None:
        assert host.robots is not None
        if self.policy.rate is None:
            return
        delay = host.robots.crawl_delay(self.policy.robots_agent) or 0.0
        if rate := host.robots.request_rate(self.policy.robots_agent):
            delay = max(delay, rate.seconds / rate.requests)
        if delay > host.interval:
            log.info("%s asks for %.1f s between requests: rate lowered to %.2f/s", robots_url, delay, 1 / delay)
            host.interval = float(delay)
            host.next_start = max(host.next_start, host.last + host.interval)  # robots.txt was a request too

    async def fetch(self, url: str, kind: str, accept: tuple[str, ...] = HTML, *,
                    validators: dict[str, str] | None = None, seen: Callable[[str], bool] | None = None) -> Result:
        """GET `url`, following redirects; `kind` labels its archived exchanges; `seen` stops at a
        redirect target the crawl already has."""
        return await self._follow(url, kind, accept, validators or {}, robots=True, seen=seen)

    async def _follow(self, url: str, kind: str, accept: tuple[str, ...], validators: dict[str, str], *,
                      robots: bool, seen: Callable[[str], bool] | None) -> Result:
        chain = [url]
        while True:
            if robots and not (await self.robots(url)).can_fetch(url, self.policy.robots_agent):
                unreachable = self.host(url).robots_unreachable
                log.info("%s: disallowed by robots.txt%s, skipped", url, " (unreachable)" if unreachable else "")
                return Result(url, error="disallowed by robots.txt" + " (unreachable)" * unreachable,
                              lasting=not unreachable)
            result = await self._retrying(url, kind, accept, validators)
            exchange = result.exchange
            location = exchange.header("Location") if exchange and exchange.status in _REDIRECTS else None
            if not location:
                return result
            try:
                target = canonicalise(urljoin(url, location))
            except ValueError:
                log.error("%s: redirect to an unusable URL %r, skipped", chain[0], location)
                return Result(url, exchange, f"redirect to an unusable URL {location!r}", lasting=True)
            if target in chain:
                log.error("%s: redirect loop %s, skipped", chain[0], " -> ".join([*chain, target]))
                return Result(url, exchange, f"redirect loop via {target}", lasting=True)
            if len(chain) > self.policy.max_redirects:
                log.error("%s: more than %d redirects, skipped", chain[0], self.policy.max_redirects)
                return Result(url, exchange, f"more than {self.policy.max_redirects} redirects", lasting=True)
            assert exchange is not None
            self.record(exchange, kind)
            if seen and seen(target):
                return Result(target, seen=True)
            chain.append(target)
            url, validators = target, {}

    async def _retrying(self, url: str, kind: str, accept: tuple[str, ...], validators: dict[str, str]) -> Result:
        host, policy = self.host(url), self.policy
        for attempt in range(policy.retries + 1):
            exchange = None
            try:
                async with host.slot():
                    exchange = await asyncio.wait_for(self._get(url, accept, validators), policy.page_timeout)
            except Fault as exc:
                log.error("%s: %s, skipped", url, exc)
                return Result(url, error=str(exc), lasting=True)
            except (httpx.TransportError, TimeoutError) as exc:
                problem = _describe(exc)
                wait = self._backoff(attempt)
            else:
                if exchange.status != 429 and exchange.status < 500:
                    return Result(url, exchange)
                problem = f"{exchange.status} {exchange.reason}"
                retry_after = _retry_after(exchange.header("Retry-After"))
                if retry_after is not None and retry_after > policy.max_retry_after:
                    log.error("%s: %s asks to wait %.0f s, over the %.0f s limit; given up for this run",
                              url, problem, retry_after, policy.max_retry_after)
                    return Result(url, exchange, f"{problem} with Retry-After {retry_after:.0f} s")
                wait = retry_after if retry_after is not None else self._backoff(attempt)
                if retry_after is not None or exchange.status == 429:
                    host.pause(wait)  # the whole host waits, not only this page
            if attempt == policy.retries:
                log.error("%s: given up after %d attempts: %s", url, attempt + 1, problem)
                return Result(url, exchange, f"given up after {attempt + 1} attempts: {problem}")
            if exchange is not None:
                self.record(exchange, kind)
            log.warning("%s: %s; retry %d/%d in %.1f s", url, problem, attempt + 1, policy.retries, wait)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        return min(self.policy.max_backoff, self.policy.backoff * 2**attempt) * random.uniform(0.5, 1.5)

    async def _get(self, url: str, accept: tuple[str, ...], validators: dict[str, str]) -> Exchange:
        started = datetime.now(UTC)
        request = self.client.build_request("GET", url, headers=validators)
        response = await self.client.send(request, stream=True)
        try:
            headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() != "transfer-encoding"]
            limit = self.policy.max_body
            length = response.headers.get("Content-Length", "").strip()
            if length.isdigit() and int(length) > limit:
                raise Fault(f"body of {length} bytes over the {limit:,}-byte limit")
            content_type = response.headers.get("Content-Type", "").lower()
            if response.status_code == 200 and content_type and not any(a in content_type for a in accept):
                raise Fault(f"content type {content_type!r} is not one of {', '.join(accept)}")
            body = bytearray()
            async for chunk in response.aiter_raw():
                body += chunk
                if len(body) > limit:
                    raise Fault(f"body over the {limit:,}-byte limit")
        finally:
            await response.aclose()
        content = inflate(bytes(body), response.headers.get("Content-Encoding", ""), limit)
        return Exchange(str(request.url), list(request.headers.multi_items()), response.status_code,
                        response.reason_phrase, headers, bytes(body), content, started)


def _describe(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"connection cut: {exc}"
    return f"{type(exc).__name__}: {exc}"


@dataclass
class HostStats:
    requests: int
    rate: float
    mean_rate: float
    max_in_flight: int


def host_stats(engine: Engine) -> dict[str, HostStats]:
    return {key: HostStats(h.requests, h.rate, (h.requests - 1) / (h.last - h.first) if h.last > h.first else 0.0,
                           h.max_in_flight) for key, h in engine.hosts.items()}
