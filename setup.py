"""The client's top-level folders ship inside the ``frontdesk`` package when installed.

``ui/``, ``db/`` and ``resources/`` stay where the client keeps them in the checkout, but an
installed app must not put packages with names as generic as ``ui`` or ``db`` into
site-packages: they are mapped to ``frontdesk.ui``, ``frontdesk.db`` and ``frontdesk.resources``
(the editable install maps them the same way). Everything else lives in ``pyproject.toml``.
"""

from setuptools import find_packages, setup

FOLDERS = {
    "frontdesk": "frontdesk",
    "frontdesk.ui": "ui",
    "frontdesk.db": "db",
    "frontdesk.resources": "resources",
}

setup(
    package_dir=FOLDERS,
    packages=[
        f"{package}.{sub}" if sub else package
        for package, folder in FOLDERS.items()
        for sub in ["", *find_packages(folder)]
    ],
)
