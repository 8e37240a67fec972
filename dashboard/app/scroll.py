"""Taking a person to a section after a click. Streamlit has no scroll command: a page opened by a
click keeps the scroll position of the page before, and a click that changes what the top of a
page shows leaves the view where the click was. A click asks for a heading's anchor (`request`);
the run that follows places a small script that brings that heading into view (`apply`)."""

from __future__ import annotations

import json

import streamlit as st

KEY = "_scroll"  # a plain key: it survives st.switch_page, which drops widgets' values

# Charts above a heading draw after it appears and push it down, so the script keeps the heading
# at the top until it has stayed put for half a second (or gives up after about six seconds).
SCRIPT = """<script>
(() => {
  const id = %s;
  let checks = 0, still = 0, last = null;
  const timer = setInterval(() => {
    const heading = document.getElementById(id);
    checks += 1;
    if (heading) {
      const top = Math.round(heading.getBoundingClientRect().top);
      if (top === last) { still += 1; } else {
        still = 0;
        heading.scrollIntoView({block: "start"});
        last = Math.round(heading.getBoundingClientRect().top);
      }
    }
    if (still >= 5 || checks > 60) clearInterval(timer);
  }, 100);
})();
</script>"""


def request(anchor: str) -> None:
    """Bring the heading with this anchor into view after the next run."""
    st.session_state[KEY] = anchor


def apply() -> None:
    """Place the script for a requested anchor (once); the entry file calls it after the page."""
    anchor = st.session_state.pop(KEY, None)
    if anchor:
        st.html(SCRIPT % json.dumps(anchor), unsafe_allow_javascript=True)
