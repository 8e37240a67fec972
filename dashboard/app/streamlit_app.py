"""The app's entry point: it only routes and draws what every page shares (language, filters,
data source). Pages live in app_pages/ and stay thin."""

import streamlit as st

from dashboard.app import signin, ui  # the package is installed (`make setup`: pip install --editable .)

st.set_page_config(page_title="PMQA 4.0", page_icon=":material/insights:", layout="wide")
ui.read_language()
ui.language_switch()
person = signin.gate()  # nothing below runs for a person who is not signed in and given a role

# A page is listed only for a role that may use it.
PAGES = [
    ("overview", "app_pages/overview.py", ":material/dashboard:"),
    ("trends", "app_pages/trends.py", ":material/show_chart:"),
    ("strengths", "app_pages/strengths.py", ":material/balance:"),
    ("agency", "app_pages/agency.py", ":material/account_balance:"),
    ("explore", "app_pages/explore.py", ":material/table_view:"),
    ("quality", "app_pages/quality.py", ":material/fact_check:"),
    ("import_data", "app_pages/import_data.py", ":material/upload_file:"),
]
NEEDS = {"import_data": "import"}
page = st.navigation(
    [
        st.Page(path, title=ui.tr(f"page.{name}"), icon=icon, url_path=name, default=name == "overview")
        for name, path, icon in PAGES
        if person.may(NEEDS.get(name, "see"))
    ]
)

name = page.url_path or "overview"
store = ui.store()
ui.read_link(name, store)
ui.synthetic_banner(store)
signin.sidebar()
if not store.years():  # the data has rows (the contract says so): the person's scope holds none of them
    st.info(ui.tr("access.no_agency"), icon=":material/lock:")
    ui.stop()
ui.year_pair(store.years())
ui.shared_filters()
ui.data_source(store)
ui.link_notices(name)
ui.context_line(name)
page.run()
ui.write_link()  # a page that stops early writes it through ui.stop()
