"""The app's entry point, read as its table of contents: the language, sign-in, the pages a person
may open, the data they may see, the sidebar every page shares, then the page. Pages live in
app_pages/ and stay thin; each job has its module here (cache, link, sidebar, notices, ...)."""

import streamlit as st

from dashboard.app import cache, link, notices, scroll, sidebar, signin  # installed by `make setup` (pip install -e .)
from dashboard.app.document import localize
from dashboard.app.language import tr

st.set_page_config(page_title="PMQA 4.0", page_icon=":material/insights:", layout="wide")
link.read_language()
sidebar.language_switch()
localize()  # <html lang> and Streamlit's own words in the reader's language
person = signin.gate()  # nothing below runs for a person who is not signed in and given a role

# A page is listed only for a role that may use it.
PAGES = [
    ("overview", "app_pages/overview.py", ":material/dashboard:"),
    ("trends", "app_pages/trends.py", ":material/show_chart:"),
    ("strengths", "app_pages/strengths.py", ":material/balance:"),
    ("criteria", "app_pages/criteria.py", ":material/troubleshoot:"),
    ("scenarios", "app_pages/scenarios.py", ":material/alt_route:"),
    ("agency", "app_pages/agency.py", ":material/account_balance:"),
    ("explore", "app_pages/explore.py", ":material/table_view:"),
    ("quality", "app_pages/quality.py", ":material/fact_check:"),
    ("import_data", "app_pages/import_data.py", ":material/upload_file:"),
]
NEEDS = {"import_data": "import"}
page = st.navigation(
    [
        st.Page(path, title=tr(f"page.{name}"), icon=icon, url_path=name, default=name == "overview")
        for name, path, icon in PAGES
        if person.may(NEEDS.get(name, "see"))
    ]
)

name = page.url_path or "overview"
data = cache.load()
link.read(name, data.years())
notices.synthetic_banner(data)
signin.sidebar()
if not data.years():  # the data has rows (the contract says so): the person's scope holds none of them
    st.info(tr("access.no_agency"), icon=":material/lock:")
    link.stop()
sidebar.year_pair(data.years())
sidebar.shared_filters()
sidebar.data_source(data)
link.notices(name)
notices.context_line(name)
page.run()
scroll.apply()  # the section a click asked for (a page that stops early was not asked)
link.write()  # a page that stops early writes it through link.stop()
