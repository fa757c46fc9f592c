"""The GraphQL API: types over the read layer, the query root and the schema with its limits."""
