"""Deployment helpers: the scale-out launcher (deploy/scale_out.py) and its nginx template."""
