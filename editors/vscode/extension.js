// empathylint for VS Code: starts `empathylint lsp` on stdio and leaves the rest to vscode-languageclient
// (diagnostics, hover, quick fixes, "Fix all"). The server chooses each file's reader and config itself;
// the settings are read when the extension starts (run "Developer: Reload Window" after changing them).
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

// The languages VS Code names, and the files it has no language for (mail, CSV, templates).
const LANGUAGES = ["plaintext", "markdown", "html", "json", "jsonl", "yaml", "handlebars", "jinja", "liquid"];
const FILES = "**/*.{eml,csv,tsv,jsonl,ndjson,liquid,hbs,handlebars,mustache,j2,jinja,jinja2,tmpl,tpl}";

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("empathylint");
  const server = { command: settings.get("path", "empathylint"), args: ["lsp", ...settings.get("args", [])] };
  client = new LanguageClient("empathylint", "empathylint", server, {
    documentSelector: [
      ...LANGUAGES.map((language) => ({ language })),
      { scheme: "file", pattern: FILES },
    ],
    initializationOptions: { debounceMs: settings.get("debounceMs", 50) },
  });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
