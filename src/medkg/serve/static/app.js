// medkg query page: lists the competency queries, runs a query against /sparql, shows the answer.
// Plain JavaScript, no build step, nothing loaded from the internet.
// URL parameters: ?query=NAME loads a competency query, ?sparql=TEXT loads text; a link
// only fills the editor, running it is always the user's click (or Ctrl+Enter).
"use strict";

const NODE_NAMESPACE = "https://w3id.org/medkg/id/";
const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
const LINKABLE = /^https?:\/\//i; // only web addresses become links (never javascript:, data:, …)

const textarea = document.getElementById("sparql");
const output = document.getElementById("output");
const status = document.getElementById("status");
const queryList = document.getElementById("queries");

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function setStatus(text, isError) {
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function termCell(term) {
  const cell = element("td");
  if (!term) return cell;
  if (term.type === "uri" && LINKABLE.test(term.value)) {
    const link = element("a", term.value);
    link.href = term.value.startsWith(NODE_NAMESPACE)
      ? "/id/" + term.value.slice(NODE_NAMESPACE.length)
      : term.value;
    cell.appendChild(link);
  } else if (term.type === "uri") {
    cell.textContent = term.value;
  } else if (term.type === "bnode") {
    cell.textContent = "_:" + term.value;
  } else {
    cell.textContent = term.value;
    const note = term["xml:lang"] ? "@" + term["xml:lang"] : "";
    if (note) cell.appendChild(element("small", " " + note));
  }
  return cell;
}

function showBindings(document_, truncatedAt) {
  output.replaceChildren();
  if (typeof document_.boolean === "boolean") {
    output.appendChild(element("p", "ASK answer: " + document_.boolean, "boolean"));
    setStatus("done");
    return;
  }
  const variables = document_.head.vars;
  const rows = document_.results.bindings;
  const table = element("table");
  table.id = "results";
  const header = element("tr");
  for (const name of variables) header.appendChild(element("th", name));
  table.appendChild(header);
  for (const row of rows) {
    const line = element("tr");
    for (const name of variables) line.appendChild(termCell(row[name]));
    table.appendChild(line);
  }
  output.appendChild(table);
  let text = rows.length + (rows.length === 1 ? " row" : " rows");
  if (truncatedAt) text += " (truncated: the server returns at most " + truncatedAt + ")";
  setStatus(text);
}

async function runQuery() {
  setStatus("running…");
  output.replaceChildren();
  let response;
  try {
    response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", "Accept": ACCEPT },
      body: textarea.value,
    });
  } catch (error) {
    setStatus("the server did not answer: " + error, true);
    return;
  }
  const body = await response.text();
  if (!response.ok) {
    setStatus("HTTP " + response.status + ": " + body, true);
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  if (type.startsWith("application/sparql-results+json")) {
    showBindings(JSON.parse(body), response.headers.get("Medkg-Result-Truncated"));
  } else {
    output.appendChild(element("pre", body));
    setStatus("graph (" + type.split(";")[0] + ")");
  }
}

function loadQuery(query, button) {
  textarea.value = query.text;
  for (const other of queryList.querySelectorAll("button")) other.classList.remove("active");
  if (button) button.classList.add("active");
}

async function listQueries() {
  const response = await fetch("/queries.json");
  const queries = await response.json();
  queryList.replaceChildren();
  const buttons = new Map();
  for (const query of queries) {
    const item = element("li");
    const button = element("button");
    button.type = "button";
    button.appendChild(element("span", query.name, "name"));
    button.appendChild(element("span", query.question));
    button.addEventListener("click", () => loadQuery(query, button));
    item.appendChild(button);
    queryList.appendChild(item);
    buttons.set(query.name, [query, button]);
  }
  return buttons;
}

async function start() {
  document.getElementById("run").addEventListener("click", runQuery);
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runQuery();
  });
  const parameters = new URLSearchParams(window.location.search);
  let buttons = new Map();
  try {
    buttons = await listQueries();
  } catch (error) {
    queryList.replaceChildren(element("li", "could not list the queries: " + error, "error"));
  }
  const name = parameters.get("query");
  if (name !== null) {
    if (buttons.has(name)) {
      const [query, button] = buttons.get(name);
      loadQuery(query, button);
    } else {
      setStatus("no competency query named " + name, true);
      return;
    }
  } else if (parameters.get("sparql") !== null) {
    textarea.value = parameters.get("sparql");
  }
}

start();
