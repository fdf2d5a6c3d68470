"""Painting print documents (``frontdesk.printing``) onto PDF, PNG, preview images and printers."""
