/* tokko serve — the API's documentation page, read from /openapi.json, with a form to try
   each operation against this server. Served from the package's own files: no CDN. */
"use strict";

(() => {
  const {w, el, request, problemBox, networkBox, save, table} = Tokko;

  const EXAMPLES = {
    Declaration: {
      entity_code: "011002", fiscal_year: "R3",
      items: [
        {item_id: "1", description: "AI-OCRによる申請書の読取", technology: "AI-OCR",
         business_area: "会計事務", expense_kind: "導入・構築", amount: "1,200,000"},
        {item_id: "2", description: "RPAのライセンス", technology: "RPA",
         business_area: "財務会計", expense_kind: "利用料・ライセンス料", amount: 858000,
         specific_revenue: 400000, introduced_in: "R3"},
      ],
    },
    CheckRequest: {technology: "AI", expense_kind: "導入・構築", amount: "1,200,000",
                   fiscal_year: "令和3年度", business_area: "会計事務"},
  };

  function refName(ref) {
    return ref.split("/").pop();
  }

  function typeText(schema) {
    if (!schema) return "";
    if (schema.$ref) return refName(schema.$ref);
    if (schema.anyOf || schema.oneOf) return (schema.anyOf || schema.oneOf).map(typeText).join(" | ");
    if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
    if (schema.const !== undefined) return JSON.stringify(schema.const);
    if (schema.type === "array") return "array of " + typeText(schema.items || {});
    if (schema.type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
      return "object of " + typeText(schema.additionalProperties);
    }
    return (schema.type || "any") + (schema.format ? " (" + schema.format + ")" : "");
  }

  function typeCell(schema) {
    const text = typeText(schema);
    const ref = schema && (schema.$ref || (schema.items && schema.items.$ref));
    return ref ? el("a", {href: "#schema-" + refName(ref)}, text) : el("code", {}, text);
  }

  function propertiesTable(schema, label) {
    const properties = schema.properties || {};
    const required = new Set(schema.required || []);
    const names = Object.keys(properties);
    if (!names.length) return el("p", {}, typeCell(schema));
    return table([w("serve.page.docs_name"), w("serve.page.docs_type"), w("serve.page.docs_required"),
                  w("serve.page.docs_description")],
      names.map((name) => el("tr", {},
        el("th", {scope: "row"}, el("code", {}, name)), el("td", {}, typeCell(properties[name])),
        el("td", {}, required.has(name) ? "✓" : ""),
        el("td", {}, properties[name].description || ""))), {label: label});
  }

  function contentList(content) {
    return el("ul", {}, Object.entries(content || {}).map(([media, body]) =>
      el("li", {}, el("code", {}, media), body.schema ? [" — ", typeCell(body.schema)] : "")));
  }

  function operationId(method, path) {
    return "op-" + method + path.replace(/[^a-z0-9]+/gi, "-");
  }

  function parameterInput(parameter, prefix) {
    const id = prefix + "-p-" + parameter.name;
    const schema = parameter.schema || {};
    const choices = schema.enum || (schema.anyOf || []).flatMap((s) => s.enum || []);
    let input;
    if (choices.length) {
      input = el("select", {id: id, name: parameter.name},
                 el("option", {value: ""}, "—"),
                 choices.map((c) => el("option", {value: c, selected: schema.default === c}, c)));
    } else if (schema.type === "boolean") {
      input = el("select", {id: id, name: parameter.name}, el("option", {value: ""}, "—"),
                 el("option", {value: "true"}, "true"), el("option", {value: "false"}, "false"));
    } else {
      input = el("input", {id: id, name: parameter.name, required: parameter.required || false});
    }
    return el("div", {class: "field"}, el("label", {for: id}, parameter.name + " (" + parameter.in + ")"), input);
  }

  function tryForm(method, path, operation, document) {
    const prefix = operationId(method, path);
    const fields = (operation.parameters || []).filter((p) => p.in === "query" || p.in === "path")
      .map((p) => parameterInput(p, prefix));
    const body = operation.requestBody ? operation.requestBody.content || {} : {};
    let bodyField = null;
    let fileFields = [];
    if (body["application/json"]) {
      const name = body["application/json"].schema && body["application/json"].schema.$ref
        ? refName(body["application/json"].schema.$ref) : "";
      bodyField = el("textarea", {id: prefix + "-body", name: "body", spellcheck: "false"});
      bodyField.value = JSON.stringify(EXAMPLES[name] || {}, null, 2);
      fields.push(el("div", {class: "field wide"},
                     el("label", {for: prefix + "-body"}, w("serve.page.docs_body") + " (JSON)"), bodyField));
    } else if (body["multipart/form-data"]) {
      let schema = body["multipart/form-data"].schema || {};
      if (schema.$ref) schema = document.components.schemas[refName(schema.$ref)] || {};
      fileFields = Object.entries(schema.properties || {}).map(([name, property]) => {
        const many = property.type === "array" || (property.anyOf || []).some((s) => s.type === "array");
        const input = el("input", {type: "file", id: prefix + "-f-" + name, name: name, multiple: many});
        fields.push(el("div", {class: "field"}, el("label", {for: prefix + "-f-" + name}, name), input));
        return input;
      });
    }
    const output = el("div", {class: "result", "aria-live": "polite"});
    const form = el("form", {class: "form"}, el("div", {class: "grid"}, fields),
                    el("p", {class: "actions"}, el("button", {type: "submit"}, w("serve.page.docs_send"))));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      let url = path;
      const query = new URLSearchParams();
      for (const parameter of operation.parameters || []) {
        const value = form.elements[parameter.name] ? form.elements[parameter.name].value : "";
        if (!value) continue;
        if (parameter.in === "path") url = url.replace("{" + parameter.name + "}", encodeURIComponent(value));
        else query.append(parameter.name, value);
      }
      const options = {method: method.toUpperCase()};
      if (bodyField) {
        options.headers = {"Content-Type": "application/json"};
        options.body = bodyField.value;
      } else if (fileFields.length) {
        const data = new FormData();
        for (const input of fileFields) for (const file of input.files) data.append(input.name, file);
        options.body = data;
      }
      const target = url.replace(/^\//, "") + (query.toString() ? "?" + query : "");
      output.replaceChildren(el("p", {class: "working"}, w("serve.page.working")));
      try {
        const response = await request(target, options);
        const type = response.headers.get("Content-Type") || "";
        const status = el("p", {}, w("serve.page.docs_status") + ": ", el("strong", {}, String(response.status)), " ", el("code", {}, type));
        if (type.includes("json")) {
          const text = JSON.stringify(await response.json(), null, 2);
          output.replaceChildren(status, el("pre", {}, text));
        } else {
          const copy = response.clone();
          const size = (await response.blob()).size;
          output.replaceChildren(status, el("p", {}, w("serve.page.docs_binary", {bytes: size.toLocaleString()}), " ",
            el("button", {type: "button", class: "download", onclick: () => save(copy, "tokko-download")}, w("serve.page.docs_save"))));
        }
      } catch (error) {
        output.replaceChildren(networkBox());
      }
    });
    return el("details", {}, el("summary", {}, w("serve.page.docs_try")), form, output);
  }

  function operationView(method, path, operation, document) {
    const parts = [el("h3", {id: operationId(method, path)},
                      el("span", {class: "method " + method}, method.toUpperCase()), el("code", {}, path),
                      " — ", operation.summary || "")];
    if (operation.description) parts.push(el("p", {}, operation.description));
    parts.push(el("p", {class: "dim"}, "operationId: ", el("code", {}, operation.operationId || "")));
    const parameters = operation.parameters || [];
    if (parameters.length) {
      parts.push(el("h4", {}, w("serve.page.docs_parameters")),
        table([w("serve.page.docs_name"), w("serve.page.docs_in"), w("serve.page.docs_type"),
               w("serve.page.docs_required"), w("serve.page.docs_description")],
          parameters.map((p) => el("tr", {},
            el("th", {scope: "row"}, el("code", {}, p.name)), el("td", {}, p.in),
            el("td", {}, typeCell(p.schema)), el("td", {}, p.required ? "✓" : ""),
            el("td", {}, p.description || (p.schema && p.schema.description) || ""))),
          {label: w("serve.page.docs_parameters")}));
    }
    if (operation.requestBody) {
      parts.push(el("h4", {}, w("serve.page.docs_body")), contentList(operation.requestBody.content));
    }
    parts.push(el("h4", {}, w("serve.page.docs_responses")),
      table([w("serve.page.docs_status"), w("serve.page.docs_description"), w("serve.page.docs_type")],
        Object.entries(operation.responses || {}).map(([status, response]) => el("tr", {},
          el("th", {scope: "row"}, status), el("td", {}, response.description || ""),
          el("td", {}, contentList(response.content)))), {label: w("serve.page.docs_responses")}));
    parts.push(tryForm(method, path, operation, document));
    return el("section", {class: "operation"}, parts);
  }

  function render(document) {
    const parts = [];
    if (document.info && document.info.description) parts.push(el("pre", {class: "description"}, document.info.description));
    const operations = [];
    for (const [path, methods] of Object.entries(document.paths || {})) {
      for (const [method, operation] of Object.entries(methods)) operations.push([method, path, operation]);
    }
    parts.push(el("h2", {}, w("serve.page.docs_operations")),
               el("ul", {}, operations.map(([method, path, operation]) => el("li", {},
                 el("a", {href: "#" + operationId(method, path)}, method.toUpperCase() + " " + path),
                 " — ", operation.summary || ""))));
    for (const [method, path, operation] of operations) parts.push(operationView(method, path, operation, document));
    const schemas = (document.components && document.components.schemas) || {};
    parts.push(el("h2", {}, w("serve.page.docs_schemas")));
    for (const [name, schema] of Object.entries(schemas)) {
      parts.push(el("section", {class: "operation schema"},
        el("h3", {id: "schema-" + name}, name),
        schema.description ? el("p", {}, schema.description) : "",
        propertiesTable(schema, name)));
    }
    return parts;
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const target = document.getElementById("docs");
    const token = document.getElementById("token");
    token.value = sessionStorage.getItem("tokko-token") || "";
    token.addEventListener("change", () => sessionStorage.setItem("tokko-token", token.value.trim()));
    try {
      const response = await fetch("openapi.json");
      if (!response.ok) { target.replaceChildren(await problemBox(response)); return; }
      target.replaceChildren(...render(await response.json()));
    } catch (error) {
      target.replaceChildren(networkBox());
    }
  });
})();
