"""The bottom layer every package may import: settings from the environment, extensions, the
clock, column types, the base domain error, the forms base and the web edge helpers (views,
sign-in, error pages) that every blueprint shares. It imports no other package of the project;
the composition root (`create_app`, CLI, demo data) lives above everything, in `composition/`.
"""
