"""The page in the reader's language where Streamlit gives no parameter for it.

Streamlit 1.67 writes `<html lang="en">` and has its own English words in its frontend, with no
setting to translate them: "Select all" and "No results" in a multiselect, "Choose an option" where
a widget has no placeholder= (every widget here is given one), the grid's toolbar tooltips ("Search",
"Download as CSV", ...), "Skip to main content". A small script, placed on every run, sets the
document's language and swaps those exact words, in text and in aria-label, title and placeholder,
as they appear (a MutationObserver: menus and tooltips are drawn only when opened). What it cannot
reach: text the grid draws on its canvas (cells; the pages give empty cells a placeholder instead)
and any English Streamlit adds in a later version (the words are matched exactly).
"""

from __future__ import annotations

import json

import streamlit as st

from dashboard.app.language import code, tr

# Streamlit's own words (as its 1.67 frontend writes them) -> our locale key.
STREAMLIT_WORDS = {
    "Select all": "streamlit.select_all",
    "No results": "streamlit.no_results",
    "Choose an option": "streamlit.choose",
    "Choose options": "streamlit.choose",
    "Skip to main content": "streamlit.skip",
    "Search": "streamlit.search",
    "Download as CSV": "streamlit.download_csv",
    "Show/hide columns": "streamlit.columns",
    "Fullscreen": "streamlit.fullscreen",
    "Close fullscreen": "streamlit.close_fullscreen",
    "Clear selection": "streamlit.clear_selection",
}

SCRIPT = """<script>
(() => {
  const words = %s;
  document.documentElement.lang = %s;
  if (window.pmqaWords) window.pmqaWords.disconnect();
  const swap = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const word = words[node.nodeValue.trim()];
      if (word) node.nodeValue = word;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    for (const name of ["aria-label", "title", "placeholder"]) {
      const word = words[node.getAttribute(name)];
      if (word) node.setAttribute(name, word);
    }
    for (const child of node.childNodes) swap(child);
  };
  if (!Object.keys(words).length) return;
  swap(document.body);
  window.pmqaWords = new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "childList") c.addedNodes.forEach(swap); else swap(c.target);
    }
  });
  window.pmqaWords.observe(document.body, {subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["aria-label", "title", "placeholder"]});
})();
</script>"""


def localize() -> None:
    """The document's language, and Streamlit's English in the reader's language (none for English)."""
    lang = code()
    words = {} if lang == "en" else {english: tr(key) for english, key in STREAMLIT_WORDS.items()}
    st.html(SCRIPT % (json.dumps(words, ensure_ascii=False), json.dumps(lang)), unsafe_allow_javascript=True)
