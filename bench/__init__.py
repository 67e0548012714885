"""`make bench`: build, scale, verification, live-edit and page-weight figures,
measured side by side in one run and written to bench/results.md."""
