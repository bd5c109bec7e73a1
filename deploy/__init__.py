"""Deployment files: the container image, compose file, nginx template and the Python that fills it."""
