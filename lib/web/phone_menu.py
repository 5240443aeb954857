"""The phone's menu: under 640 px it takes the place of the sidebar's page list."""
from __future__ import annotations

import streamlit as st

from lib.web import district_filter, view_state
from lib.web.lang import LANG_NAMES, PARAM as LANG, _, current_lang

MENU_KEY = "phone_menu"


def phone_bar(title: str, district: str | None, pages: tuple[tuple[str, str], ...]) -> None:
    """Under 640 px (lib/web/app.css shows it only there, in the header row, and hides the sidebar's page
    list): one menu with the pages (``pages``: (script, catalog title), the map first), the district and the
    language, at the top of the page itself, so a phone never needs the sidebar, which covers the page until
    it is closed by hand. Its content runs only while it is open (one small block per run); its key changes
    with the view, so a choice closes it."""
    lang = current_lang()
    names = district_filter.district_names(lang)
    on_map = title == pages[0][1]   # on the map the map itself chooses the district (tap again: whole city)
    label = _(title) if on_map or not district else f"{_(title)} · {names[district]}"
    menu = st.popover(label, icon=":material/menu:", on_change="rerun", key=f"{MENU_KEY}_{lang}_{district}")
    with menu:
        if not menu.open:
            return
        view = view_state.link_params()
        for script, page_label in pages:
            st.page_link(script, label=_(page_label), query_params=view, disabled=page_label == title)
        other = "en" if lang == "zh" else "zh"
        st.button(LANG_NAMES[other], icon=":material/translate:", key="phone_lang", on_click=view_state.set_param,
                  args=(LANG.name, other))
        if not on_map:
            st.caption(_("区县筛选"))
            with st.container(horizontal=True, gap="small"):
                for code in (district_filter.WHOLE_CITY, *names):
                    st.button(names[code] if code else _("全市（不筛选）"), key=f"phone_pick_{code or 'all'}",
                              on_click=district_filter.set_district, args=(code or None,),
                              disabled=(code or None) == district)
