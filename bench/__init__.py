"""`make bench`: the performance benchmark of issue 5 (see bench/README.md)."""
