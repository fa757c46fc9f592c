"""GraphQL over HTTP: methods, content types, bad bodies and caching headers, on the real server."""

from __future__ import annotations

import pytest

QUERY = "{ session(number: 3) { title } }"


def error_code(response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


def test_post_answers_a_query(client):
    response = client.post("/graphql", json={"query": QUERY})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"data": {"session": {"title": "Managing Change"}}}


def test_get_answers_a_query_with_an_etag(client):
    response = client.get("/graphql", params={"query": QUERY})
    assert response.status_code == 200
    assert response.json()["data"]["session"]["title"] == "Managing Change"
    assert response.headers["etag"]


def test_get_with_matching_if_none_match_is_not_modified(client):
    etag = client.get("/graphql", params={"query": QUERY}).headers["etag"]
    response = client.get("/graphql", params={"query": QUERY}, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_variables_are_applied(client):
    query = "query($n: Int!) { session(number: $n) { number } }"
    response = client.post("/graphql", json={"query": query, "variables": {"n": 7}})
    assert response.json() == {"data": {"session": {"number": 7}}}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "BAD_REQUEST"),
        (b"", 400, "BAD_REQUEST"),
        (b"[1, 2]", 400, "BAD_REQUEST"),
        (b'{"variables": {}}', 400, "BAD_REQUEST"),
        (b'{"query": 42}', 400, "BAD_REQUEST"),
        (b'{"query": "{ framework { name } }", "variables": [1]}', 400, "BAD_REQUEST"),
        (b'{"query": "{ framework { name "}', 400, "GRAPHQL_PARSE_FAILED"),
        (b'{"query": "{ nonsense }"}', 400, "GRAPHQL_VALIDATION_FAILED"),
    ],
)
def test_bad_post_bodies_get_a_json_error_with_a_code(client, body, status, code):
    response = client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    assert error_code(response) == code
    assert "Traceback" not in response.text


def test_wrong_content_type_is_415(client):
    response = client.post("/graphql", content=QUERY, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert error_code(response) == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(client, method):
    response = client.request(method, "/graphql")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert error_code(response) == "METHOD_NOT_ALLOWED"


def test_get_without_query_for_a_program_is_400(client):
    response = client.get("/graphql", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert error_code(response) == "BAD_REQUEST"


def test_get_with_malformed_variables_is_400(client):
    response = client.get("/graphql", params={"query": QUERY, "variables": "{oops"})
    assert response.status_code == 400
    assert error_code(response) == "BAD_REQUEST"


def test_get_without_query_for_a_browser_is_graphiql(client):
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
    assert "https://" not in response.text  # no CDN: every asset comes from this server


@pytest.mark.parametrize(
    "asset",
    [
        "/static/vendor/graphiql.min.js",
        "/static/vendor/graphiql.min.css",
        "/static/vendor/react.production.min.js",
        "/static/vendor/react-dom.production.min.js",
        "/static/graphiql-init.js",
    ],
)
def test_graphiql_assets_are_served_locally(client, asset):
    assert client.get(asset).status_code == 200


def test_unknown_route_is_a_json_404(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert error_code(response) == "NOT_FOUND"


def test_health_reports_version_and_triple_counts(client, graph):
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["version"] == graph.version
    assert body["triples"]["total"] == sum(graph.triple_counts().values())


def test_sdl_is_served(client):
    response = client.get("/graphql/schema.graphql")
    assert response.status_code == 200
    assert "type Query" in response.text


def test_cors_preflight_allows_any_origin_for_post(client):
    response = client.options(
        "/graphql",
        headers={
            "Origin": "https://tool.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]


def test_cors_header_on_a_simple_get(client):
    response = client.get(
        "/graphql", params={"query": QUERY}, headers={"Origin": "https://x.example"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
