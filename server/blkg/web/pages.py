"""HTML pages for people: a page model (sections of labelled rows of values) and its markup.

Everything shown comes from the page model, which is built from triples (`blkg.web.views`);
every piece of text and every link is escaped here, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from blkg.formats import Use, serving

SITE = "Balanced Leadership Knowledge Graph"
NAVIGATION = (
    ("Dataset", "/id/dataset"),
    ("Downloads", "/.well-known/void"),
    ("Ontology", "/def"),
    ("Shapes", "/shapes"),
    ("SPARQL", "/sparql"),
    ("GraphQL", "/graphql"),
)


@dataclass
class Value:
    """One value of a property: text, an optional link, a muted note, nested rows (blank nodes)."""

    text: str
    href: str | None = None
    note: str = ""
    derived: bool = False
    rows: list[Row] = field(default_factory=list)
    number: int | None = None  # the node's blf:number, which orders it among its siblings


@dataclass
class Row:
    label: str
    href: str | None
    values: list[Value]


@dataclass
class Section:
    title: str
    iri: str | None = None
    anchor: str | None = None
    types: list[Value] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    incoming: list[Row] = field(default_factory=list)


@dataclass
class Page:
    title: str
    sections: list[Section]
    intro: str = ""
    notice: str = ""  # a caveat the reader needs before the content, shown above it
    alternates: list[tuple[str, str, str]] = field(default_factory=list)  # name, type, href
    markup: str = ""  # trusted HTML built in this module, appended to the main content


def render(page: Page) -> bytes:
    parts = [_head(page), "<body>", _navigation(), "<main>"]
    if page.notice:
        parts.append(f'<p class="notice" role="note">{escape(page.notice)}</p>')
    for position, section in enumerate(page.sections):
        parts.append(_section(section, heading="h1" if position == 0 else "h2"))
    if not page.sections:
        parts.append(f"<h1>{escape(page.title)}</h1>")
    if page.intro:
        parts.append(f"<p>{escape(page.intro)}</p>")
    parts.append(page.markup)
    parts += ["</main>", _footer(page), "</body></html>\n"]
    return "\n".join(parts).encode()


def _head(page: Page) -> str:
    links = "".join(
        f'<link rel="alternate" type="{escape(kind)}" href="{escape(href)}">'
        for _, kind, href in page.alternates
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(page.title)} · {SITE}</title>{links}<style>{STYLE}</style></head>"
    )


def _navigation() -> str:
    items = " · ".join(f'<a href="{href}">{escape(name)}</a>' for name, href in NAVIGATION)
    return f"<nav><strong>{SITE}</strong> — {items}</nav>"


def _section(section: Section, heading: str) -> str:
    anchor = f' id="{escape(section.anchor)}"' if section.anchor else ""
    parts = [f"<section{anchor}><{heading}>{escape(section.title)}</{heading}>"]
    if section.iri:
        parts.append(f'<p class="iri"><code>{escape(section.iri)}</code></p>')
    if section.types:
        parts.append('<p class="types">a ' + ", ".join(map(_value, section.types)) + "</p>")
    if section.rows:
        parts.append(_table(section.rows))
    if section.incoming:
        parts += ["<h3>Linked from</h3>", _table(section.incoming)]
    parts.append("</section>")
    return "\n".join(parts)


def _table(rows: list[Row]) -> str:
    lines = ["<table>"]
    for row in rows:
        values = "".join(f"<li>{_value(value)}</li>" for value in row.values)
        lines.append(f"<tr><th>{_link(row.label, row.href)}</th><td><ul>{values}</ul></td></tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _value(value: Value) -> str:
    html = _link(value.text, value.href)
    if value.note:
        html += f' <span class="note">{escape(value.note)}</span>'
    if value.derived:
        html += ' <span class="derived" title="in the inferred graph">derived</span>'
    if value.rows:
        html += _table(value.rows)
    return html


def _link(text: str, href: str | None) -> str:
    if href is None:
        return escape(text)
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def _footer(page: Page) -> str:
    if not page.alternates:
        return ""
    links = " · ".join(_link(name, href) for name, _, href in page.alternates)
    return f"<footer>This page as data: {links}</footer>"


EXAMPLE_QUERY = """# For every responsibility, the sessions that address it
SELECT ?number ?responsibility (GROUP_CONCAT(STR(?session); separator=", ") AS ?sessions)
WHERE {
  ?r a blf:Responsibility ; blf:number ?number ; skos:prefLabel ?responsibility .
  OPTIONAL { ?s blf:addresses ?r ; blf:number ?session }
}
GROUP BY ?number ?responsibility
ORDER BY ?number"""


def sparql_form() -> bytes:
    """A form that sends a query to `GET /sparql` (undeclared prefixes default to ours)."""
    names = [*serving(Use.RESULTS), *serving(Use.CONSTRUCT)]
    options = "".join(f'<option value="{name}">{name}</option>' for name in names)
    form = (
        '<form method="get" action="/sparql">'
        f'<textarea name="query" rows="12" cols="90">{escape(EXAMPLE_QUERY)}</textarea>'
        f'<p>Results as <select name="format">{options}</select> '
        '<button type="submit">Run query</button></p></form>'
    )
    return render(Page("SPARQL endpoint", [Section("SPARQL endpoint (read-only)")], markup=form))


STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#1d1d1f;line-height:1.45}
nav,footer{padding:.6rem 1.2rem;background:#f2f4f7;font-size:.9rem}
main{padding:0 1.2rem 2rem;max-width:70rem}
h1{margin:.9rem 0 .2rem}h2{margin:1.6rem 0 .2rem;border-top:1px solid #ddd;padding-top:.8rem}
.iri code{color:#555;font-size:.85rem;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:.4rem 0}
th{text-align:left;vertical-align:top;width:14rem;padding:.3rem .6rem .3rem 0;font-weight:600}
td{padding:.3rem 0;vertical-align:top}td ul{margin:0;padding-left:1rem}
td table th{width:10rem;font-weight:500}
.note{color:#666;font-size:.85rem}.derived{font-size:.75rem;background:#eef;padding:0 .3rem}
.notice{background:#fff8e1;border-left:4px solid #f0b400;padding:.5rem .8rem;margin:.8rem 0}
"""

__all__ = ["Page", "Row", "Section", "Value", "render", "sparql_form"]
