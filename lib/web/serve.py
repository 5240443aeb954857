"""Start a Streamlit server for the explorer: ``python -m lib.web.serve run app.py [--server.port 8501 …]``
takes the arguments of ``python -m streamlit``. Every start goes through here: make run, the stack and
its container (deploy/stack.py), the browser tests, the benchmark and the screenshots.

Why not ``streamlit run`` itself: a folder named ``pages/`` beside the entry script puts a new Streamlit
process in its first multipage mode. The switch (``PagesManager.uses_pages_directory``) is one for the
whole process, set when the first session starts; while it is on, Streamlit routes each run itself,
from the pages/ files: the sidebar lists their names (and "app"), and a link to an inner page runs that
file directly, so app.py and its ``st.navigation`` never run. Only a run that reaches app.py's
``st.navigation`` (someone opening "/") turns the switch off, so after every start each shared link to
an inner page opened with that list until then (issue 18; tests/browser/test_shared_link_sidebar.py).
The explorer's pages are defined only by ``st.navigation`` (lib/web/page.PAGES), so the switch is turned
off before the server starts, and every run sends the one navigation message of app.py.
"""
from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli


def main() -> None:
    # A private switch: fail loudly rather than set a name no Streamlit version reads any more.
    if not hasattr(PagesManager, "uses_pages_directory"):
        raise SystemExit("streamlit.runtime.pages_manager.PagesManager.uses_pages_directory is gone: "
                         "see lib/web/serve.py before upgrading Streamlit")
    # Before any session exists: the first one would otherwise find pages/ and turn the file router on.
    PagesManager.uses_pages_directory = False
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
