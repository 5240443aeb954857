"""A view inside someone else's page: the ``<iframe>`` of exactly the view (Streamlit's ``?embed=true`` and
every parameter of the view), and what an embedded view shows of its origin."""
from __future__ import annotations

from html import escape
from urllib.parse import urlencode, urlsplit

import streamlit as st

from lib.domain.i18n import N_
from lib.web import view_state
from lib.web.lang import _

# What this explorer is called where its views travel without it: embeds, downloaded images.
EXPLORER_NAME = N_("温州科技创新“十四五”规划浏览")
# An embedded view (Streamlit's ?embed=true) is the view alone: no sidebar and no way to open it.
EMBED_CSS = ("<style>[data-testid='stSidebar'], [data-testid='stExpandSidebarButton'] "
             "{ display: none !important; }</style>")
EMBED_HEIGHT = 720


def page_address(base: str | None) -> str:
    """The page's address without a query, with its path (the home page's is ``/``)."""
    if not base:
        return ""
    return base if urlsplit(base).path else base + "/"


def embedded_credit() -> None:
    """In an iframe elsewhere, the view says where it comes from and opens in full (a new tab)."""
    full = f"{page_address(st.context.url)}?{urlencode(view_state.link_params())}"
    st.html(EMBED_CSS)
    st.caption(_("来源：《温州市科技创新“十四五”规划》 · [在{explorer}中打开完整视图]({url})").format(
        explorer=_(EXPLORER_NAME), url=full))


def embed_url(base: str | None = None, view: dict[str, str] | None = None) -> str:
    """This view's address for an iframe: the page, every parameter of the view, and Streamlit's
    ``embed=true`` (no toolbar, no sidebar, no padding). ``base`` is the page's address as the visitor's
    browser sees it (scheme, host, page path); without one (no browser) the path alone."""
    query = urlencode({**(view_state.link_params() if view is None else view), "embed": "true"})
    return f"{page_address(st.context.url if base is None else base)}?{query}"


def embed_snippet(base: str | None = None, view: dict[str, str] | None = None) -> str:
    """An ``<iframe>`` of this exact view (lib/web/view_state: the whole view is in the address)."""
    title = escape(_(EXPLORER_NAME), quote=True)
    return (f'<iframe src="{escape(embed_url(base, view), quote=True)}" title="{title}" width="100%" '
            f'height="{EMBED_HEIGHT}" style="border:0" loading="lazy"></iframe>')
