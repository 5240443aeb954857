"""A headless "browser" for Streamlit's websocket protocol (Streamlit 1.67).

What a browser tab does, reduced to what costs the server work and bandwidth:

* connect to ``ws://HOST:PORT/_stcore/stream`` asking for subprotocol
  ``streamlit``;
* send a ``BackMsg`` whose ``rerun_script`` (a ``ClientState``) carries the
  URL query string, the page to run and the hashes of the messages it holds
  in its ForwardMsg cache;
* read ``ForwardMsg``s until the run's ``script_finished``, keeping that cache
  the way the frontend does (frontend/connection/src/ForwardMessageCache.ts),
  so the server may answer with a small ``ref_hash`` instead of resending a
  big element.

See bench/README.md for the protocol details this relies on.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

# The 12 Wenzhou county-level divisions, in the order reruns cycle through them.
ADCODES = (
    "330302", "330303", "330304", "330305", "330324", "330326",
    "330327", "330328", "330329", "330381", "330382", "330383",
)

# After script_finished the server still sends session_status_changed
# (script_is_running=false).  We wait this long for it so its bytes are
# counted in the rerun that caused it, not in the next one.
_TRAILER_GRACE_S = 1.0


class ScriptError(RuntimeError):
    """The page itself failed: an exception element or a compile error."""


class ProtocolError(RuntimeError):
    """The server said something a browser would not accept."""


class MessageCache:
    """The frontend's ForwardMsg cache, re-implemented.

    * A message is stored (by ``hash``) only if the server marked it
      ``metadata.cacheable`` -- which it does for ``new_element`` deltas whose
      serialized size is >= ``global.minCachedMessageSize`` (Streamlit: 10,000 bytes; this project: 60).
    * Each full run that finishes (not FINISHED_EARLY_FOR_RERUN, and only after
      a new_session) ages the cache by one; entries not used for more than
      ``max_cached_message_age`` runs (from new_session.config, default 2)
      are dropped.
    * The hashes still held are sent with every rerun request; the server then
      replaces any identical cacheable message by a ``ref_hash`` reference.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[bytes, int]] = {}  # hash -> (raw, last used run)
        self._run_count = 0

    def hashes(self) -> list[str]:
        return list(self._entries)

    def resolve(self, msg: ForwardMsg, raw: bytes) -> ForwardMsg:
        """Return the message a browser would render for ``msg``."""
        if msg.WhichOneof("type") == "ref_hash":
            entry = self._entries.get(msg.ref_hash)
            if entry is None:
                # The browser throws "Cached ForwardMsg MISS" here.
                raise ProtocolError(f"ref_hash {msg.ref_hash} not in client cache")
            self._entries[msg.ref_hash] = (entry[0], self._run_count)
            resolved = ForwardMsg()
            resolved.ParseFromString(entry[0])
            resolved.metadata.CopyFrom(msg.metadata)
            return resolved
        if msg.metadata.cacheable and msg.hash:
            self._entries[msg.hash] = (raw, self._run_count)
        return msg

    def finish_run(self, max_age: int) -> None:
        self._run_count += 1
        for h, (_, last_used) in list(self._entries.items()):
            if self._run_count - last_used > max_age:
                del self._entries[h]


@dataclass
class RerunResult:
    latency_s: float  # rerun sent -> script_finished received
    bytes_received: int  # sum of websocket message payloads for this rerun
    messages: int
    ref_hits: int  # big elements the server did not resend thanks to the cache
    bytes_by_kind: Counter = field(default_factory=Counter)


def message_kind(msg: ForwardMsg) -> str:
    """A short label for where bytes go, e.g. 'element:vega_lite_chart'."""
    kind = msg.WhichOneof("type") or "empty"
    if kind == "delta":
        delta_kind = msg.delta.WhichOneof("type")
        if delta_kind == "new_element":
            return "element:" + (msg.delta.new_element.WhichOneof("type") or "?")
        return "delta:" + (delta_kind or "?")
    return kind


def _exception_text(exc) -> str:
    # With client.showErrorDetails = "none" (this project's config) the type and
    # trace are redacted; the server log still has the traceback.
    head = f"{exc.type}: {exc.message}" if exc.type else exc.message
    return "\n".join([head, *exc.stack_trace])


def _raise_if_page_failed(msg: ForwardMsg) -> None:
    kind = msg.WhichOneof("type")
    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        if element.WhichOneof("type") == "exception":
            raise ScriptError(_exception_text(element.exception))
    if kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
        raise ScriptError("compile error: " + _exception_text(msg.session_event.script_compilation_exception))
    if kind == "page_not_found":
        raise ProtocolError(f"page not found: {msg.page_not_found.page_name!r}")


class BrowserSession:
    """One browser tab on one page, changing one query parameter (``district`` by default).

    ``page`` is the page's URL name (``""`` = the main page, ``"indicators"`` =
    ``pages/…_indicators.py``); ``base_query`` is the fixed rest of the query
    string (e.g. ``district=330381`` while the project changes).
    """

    def __init__(self, port: int, timeout_s: float = 60.0, quickack: bool = False, page: str = "",
                 param: str = "district", base_query: str = "", headers: dict[str, str] | None = None) -> None:
        self.port = port
        # Extra handshake headers, e.g. the Cookie a browser holds behind the one-machine stack (its route
        # cookie keeps the websocket on the process that served the page).
        self.headers = headers or {}
        self.session_id = ""  # the server's id for this session (new_session.initialize.session_id)
        self.timeout_s = timeout_s
        self.quickack = quickack
        self.page = page
        self.param = param
        self.base_query = base_query
        self.cache = MessageCache()
        # Empty until the server names the page: the browser's first request asks
        # for the default page by an empty hash and an empty page name.
        self.page_script_hash = ""
        self.max_cached_message_age = 2
        self._ws: ClientConnection | None = None

    async def connect(self) -> None:
        origin = f"http://127.0.0.1:{self.port}"
        self._ws = await connect(
            f"ws://127.0.0.1:{self.port}/_stcore/stream",
            # The browser sends "streamlit, <xsrf token>[, <session id>]"; the
            # token only authenticates st.login cookies and the session id only
            # resumes a session after a reconnect, so "streamlit" is enough.
            subprotocols=["streamlit"],
            origin=origin,  # same-origin, as from the page itself (the balancer passes Host with the port, so it matches)
            additional_headers=self.headers or None,
            proxy=None,  # websockets would otherwise honour *_proxy env vars
            # Streamlit's server.enableWebsocketCompression is off by default;
            # never negotiating deflate keeps payload bytes == wire bytes.
            compression=None,
            max_size=None,
            ping_interval=None,
            open_timeout=self.timeout_s,
        )
        self._sock = self._ws.transport.get_extra_info("socket")

    async def _recv(self, timeout_s: float) -> bytes | str:
        data = await asyncio.wait_for(self._ws.recv(), max(0.0, timeout_s))
        if self.quickack:
            # Re-arm Linux quick-ACK mode (it does not stick): ACK every segment
            # at once, so the server's un-Nagled small writes are not held back
            # by our ~40 ms delayed ACK.  See README, "TCP_NODELAY".
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        return data

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    def _rerun_request(self, value: str) -> bytes:
        query = "&".join(filter(None, (self.base_query, f"{self.param}={quote(value)}")))
        back = BackMsg()
        state = back.rerun_script
        state.query_string = query
        state.page_script_hash = self.page_script_hash
        if not self.page_script_hash:
            state.page_name = self.page  # first load: the page by its URL name, as a browser on /<page> does
        state.cached_message_hashes.extend(self.cache.hashes())
        # The browser always sends its context; the app may read st.context.
        state.context_info.timezone = "Asia/Shanghai"
        state.context_info.timezone_offset = -480
        state.context_info.locale = "zh-CN"
        state.context_info.url = f"http://127.0.0.1:{self.port}/{self.page}?{query}"
        state.context_info.is_embedded = False
        return back.SerializeToString()

    async def rerun(self, value: str, timeout_s: float | None = None) -> RerunResult:
        """Ask for a run with ?<param>=<value>; return when it has finished."""
        what = f"{self.page or 'main page'}, {self.param}={value}"  # for the error messages below
        assert self._ws is not None, "connect() first"
        timeout_s = timeout_s or self.timeout_s
        sent_at = time.perf_counter()
        await self._ws.send(self._rerun_request(value))

        deadline = sent_at + timeout_s
        finished_at: float | None = None
        saw_new_session = False
        compile_error = False
        result = RerunResult(latency_s=0.0, bytes_received=0, messages=0, ref_hits=0)

        while True:
            limit = deadline if finished_at is None else min(deadline, finished_at + _TRAILER_GRACE_S)
            try:
                raw = await self._recv(limit - time.perf_counter())
            except TimeoutError:
                if compile_error:
                    raise ScriptError("script finished with a compile error") from None
                if finished_at is not None:
                    return result  # no trailer came; the run itself is complete
                raise TimeoutError(f"no script_finished within {timeout_s}s ({what})") from None
            if isinstance(raw, str):
                raise ProtocolError("server sent a text frame; Streamlit only sends binary protobufs")

            msg = ForwardMsg()
            msg.ParseFromString(raw)
            result.bytes_received += len(raw)
            result.messages += 1
            result.bytes_by_kind[message_kind(msg)] += len(raw)
            if msg.WhichOneof("type") == "ref_hash":
                result.ref_hits += 1
            msg = self.cache.resolve(msg, raw)
            try:
                _raise_if_page_failed(msg)
            except ScriptError as exc:
                raise ScriptError(f"with {what}: {exc}") from None

            kind = msg.WhichOneof("type")
            if kind == "new_session":
                saw_new_session = True
                self.page_script_hash = msg.new_session.page_script_hash
                self.session_id = msg.new_session.initialize.session_id or self.session_id
                self.max_cached_message_age = msg.new_session.config.max_cached_message_age
            elif kind == "navigation":
                # st.navigation apps: new_session names the entry script, this
                # names the page that actually ran; the browser reruns that one.
                self.page_script_hash = msg.navigation.page_script_hash
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun() inside the page: another run follows
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    # The details follow in a session_event; wait briefly for them.
                    compile_error = True
                    finished_at = time.perf_counter()
                    continue
                if saw_new_session:
                    self.cache.finish_run(self.max_cached_message_age)
                if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                    finished_at = time.perf_counter()
                    result.latency_s = finished_at - sent_at
            elif (
                kind == "session_status_changed"
                and finished_at is not None
                and not msg.session_status_changed.script_is_running
            ):
                if compile_error:
                    raise ScriptError(f"with {what}: script finished with a compile error")
                return result
