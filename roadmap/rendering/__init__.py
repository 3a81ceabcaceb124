"""Rendering: labels and fonts, charts, the interactive chart, reports and output files."""
