"""Package data: the competency queries, one SPARQL ``.rq`` file each (medkg.query.catalog)."""
