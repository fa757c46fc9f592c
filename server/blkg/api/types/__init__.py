"""GraphQL object types over the read layer's plain objects, one module per concern."""
