"""kupiansk-map's Streamlit entry point, run by ``kupiansk-map serve`` (``streamlit run app.py``).

The page lives in ``kupiansk_map/app/``: this file only sets the page up and calls it."""

import streamlit as st

from kupiansk_map.app.main import main

st.set_page_config(page_title="Kupiansk, 13 November 2024: front-line map", page_icon="🗺️", layout="wide")
main()
