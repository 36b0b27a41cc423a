"""Figures computed from layers for a date or between dates; no drawing here.

Modules:
- ``stats``: the figures for one date (``figures_on``) and their labels.
- ``compare``: ground gained and lost between two dates.
- ``bands``: distance bands from the front line and the city's share in each.
- ``series``: the area series, date by date.
- ``history``: a source's figures over time, once per change date (the charts of the explore page).
- ``summary``: the situation in sentences, and the Kursk series for the chart.
"""
