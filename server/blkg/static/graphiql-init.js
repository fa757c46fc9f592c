// Starts GraphiQL against this server's own endpoint; everything it loads comes from here.
(function () {
  var defaultQuery = [
    "# The Balanced Leadership Knowledge Graph",
    "# Which sessions address each responsibility?",
    "{",
    "  responsibilities {",
    "    number",
    "    name",
    "    sessionLinks { session { number title } basis via { name } }",
    "  }",
    "}",
    "",
  ].join("\n");
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + "/graphql" });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: true,
    })
  );
})();
