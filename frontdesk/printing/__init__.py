"""Printed artefacts as pure data: QR payloads and matrices, paper, poster and card geometry.

Nothing here imports Qt or the store; ``ui/printing`` paints what this package describes.
"""
