"""The verification engine: every snippet a page embeds is proven by real tools.

``python -m verify`` (``make verify``) finds every macro call in every page
of every language (extract.py), maps it to a verification unit (units.py),
runs the unit's checks with the real toolchains (check_*.py) unless a record
for the unit's exact content is already cached (records.py), and enforces
the site-wide rules (rules.py). The macros read the same records, so a page
says "verified" only when a passing record matches the current files.
"""
