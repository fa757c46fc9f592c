"""The read-only SPARQL engine: queries checked by parsing, run by pyoxigraph in worker
processes under a time limit and a result-size limit (see `blkg.sparql.engine`)."""
