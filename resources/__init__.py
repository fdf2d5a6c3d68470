"""Shipped files: the style sheet, fonts and default SMS templates (``resource_path``)."""
