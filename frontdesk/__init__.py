"""Frontdesk: the patient referral program at a clinic's reception desk (core, no Qt)."""

from importlib.metadata import PackageNotFoundError, version

try:  # one source: the version in pyproject.toml, as installed (the bundle copies the metadata)
    __version__ = version("frontdesk")
except PackageNotFoundError:  # a checkout that was never installed
    __version__ = "0+unknown"
