"""Frontdesk: the patient referral program at a clinic's reception desk (core, no Qt)."""

__version__ = "0.1.0"
