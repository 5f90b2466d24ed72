"""The web server behind ``studyapp serve``.

``guard`` decides which requests the server answers (Host, Origin, token) and imports
nothing but the standard library; ``server`` is textual-serve's server with that guard,
a cap on sessions and a page that loads everything from the server itself. Only
``studyapp serve`` imports this package.
"""
