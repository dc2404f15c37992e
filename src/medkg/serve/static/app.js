// medkg query page: runs the editor's text against /sparql and shows the answer.
// Plain JavaScript, no build step, nothing loaded from the internet. The server fills the
// editor (?query=NAME with its parameters, or ?sparql=TEXT); running the text is always the
// user's click (or Ctrl+Enter).
"use strict";

const NODE_NAMESPACE = "https://w3id.org/medkg/id/";
const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
const LINKABLE = /^https?:\/\//i; // only web addresses become links (never javascript:, data:, …)

const textarea = document.getElementById("sparql");
const output = document.getElementById("output");
const status = document.getElementById("status");

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

function start() {
  document.getElementById("run").addEventListener("click", runQuery);
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runQuery();
  });
}

start();
