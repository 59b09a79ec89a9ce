/* tokko serve — the web page: one expense, a declaration file, a batch review.
   Every request goes to the JSON API of the same server (relative paths, so the page works
   behind a reverse proxy under any prefix). */
"use strict";

(() => {
  const {w, codeText, el, amount, fiscalYear, request, problemBox, networkBox, save, table} = Tokko;
  const lang = Tokko.lang;
  const TABS = ["check", "declaration", "batch"];
  const SHOWN_ITEMS = 1000;

  // ── the three parts of the page ────────────────────────────────────────────────────────

  function show(focus) {
    const wanted = location.hash.slice(1);
    const current = TABS.includes(wanted) ? wanted : "check";
    for (const id of TABS) document.getElementById(id).hidden = id !== current;
    for (const link of document.querySelectorAll("nav a[data-tab]")) {
      if (link.dataset.tab === current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    if (focus) {
      const heading = document.getElementById(current + "-title");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  // ── shared pieces ──────────────────────────────────────────────────────────────────────

  function yen(text) {
    return text === null || text === undefined ? "—" : w("serve.page.per_unit", {value: amount(text)});
  }

  function cite(rules, sourceId) {
    if (!sourceId) return "";
    const source = rules && rules.sources ? rules.sources[sourceId] : null;
    if (!source) return sourceId;
    const parts = [source.issuer, source.date].filter(Boolean);
    return lang === "ja" ? source.title + "（" + parts.join("、") + "）"
                         : source.title + " (" + parts.join(", ") + ")";
  }

  function outcomeText(outcome) {
    if (outcome === null || outcome === undefined) return "";
    if (Object.prototype.hasOwnProperty.call(Tokko.words, "outcome." + outcome)) return w("outcome." + outcome);
    if (Object.prototype.hasOwnProperty.call(Tokko.words, "code." + outcome)) return codeText(outcome) + " (" + outcome + ")";
    return outcome;
  }

  function stepName(step) {
    const id = "step." + step;
    return Object.prototype.hasOwnProperty.call(Tokko.words, id) ? w(id) : step;
  }

  function columnLabel(column) {
    if (!column) return "";
    const id = "column." + column;
    return Object.prototype.hasOwnProperty.call(Tokko.words, id) ? w(id) : column;
  }

  /** The step of the explanation whose rule key decided the reason (as `tokko check` shows). */
  function decidingStep(reason, steps) {
    const key = Tokko.words["rulekey." + reason];
    if (!key) return null;
    return steps.find((s) => s.key && (s.key.startsWith(key) || s.key.replace(/\[\d+\]/g, "").startsWith(key))) || null;
  }

  function explanationTable(steps, rules, label) {
    return table(
      [w("serve.page.step"), w("key"), w("value"), w("input"), w("outcome"), w("source"), w("note")],
      steps.map((s) => el("tr", {},
        el("th", {scope: "row"}, stepName(s.step)),
        el("td", {}, el("code", {}, s.key || "")),
        el("td", {}, s.value || ""),
        el("td", {}, s.input || ""),
        el("td", {}, outcomeText(s.outcome)),
        el("td", {}, cite(rules, s.source)),
        el("td", {class: "note"}, s.note || ""))),
      {label: label});
  }

  function codeList(codes, kind) {
    return el("ul", {class: "codes " + kind}, codes.map((code) =>
      el("li", {}, codeText(code), " ", el("code", {}, code))));
  }

  function working(target) {
    target.replaceChildren(el("p", {class: "working", role: "status"}, w("serve.page.working")));
    target.setAttribute("aria-busy", "true");
  }

  function done(target) {
    target.removeAttribute("aria-busy");
  }

  async function submit(form, target, send, render) {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    working(target);
    try {
      const response = await send();
      if (!response.ok) {
        target.replaceChildren(await problemBox(response));
      } else {
        target.replaceChildren(...render(await response.json()));
      }
    } catch (error) {
      target.replaceChildren(networkBox());
    } finally {
      done(target);
      button.disabled = false;
    }
  }

  function downloadButton(label, send, fallback, target) {
    return el("button", {type: "button", class: "download", onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      try {
        const response = await send();
        if (response.ok) await save(response, fallback);
        else target.prepend(await problemBox(response));
      } catch (error) {
        target.prepend(networkBox());
      } finally {
        button.disabled = false;
      }
    }}, label);
  }

  function pairs(rows) {
    return el("dl", {class: "pairs"}, rows.filter(Boolean).map(([label, value, kind]) =>
      el("div", {class: kind || ""}, el("dt", {}, label), el("dd", {}, value))));
  }

  // ── one expense ────────────────────────────────────────────────────────────────────────

  const checkForm = document.getElementById("check-form");
  const checkResult = document.getElementById("check-result");
  const FIELDS = ["fiscal_year", "entity_code", "technology", "expense_kind", "business_area",
                  "amount", "specific_revenue", "introduced_in", "procurement",
                  "fiscal_strength_index"];

  function jointFields() {
    const joint = checkForm.elements.procurement.value === "joint";
    for (const field of checkForm.querySelectorAll(".joint-only")) field.hidden = !joint;
  }

  let searching = null;
  function suggest() {
    const input = checkForm.elements.entity_code;
    const query = input.value.trim();
    clearTimeout(searching);
    if (!query || /^\d{6}$/.test(query)) return;
    searching = setTimeout(async () => {
      try {
        const response = await request("api/v1/codes?limit=20&q=" + encodeURIComponent(query));
        if (!response.ok) return;
        const found = await response.json();
        document.getElementById("c-entity-list").replaceChildren(...found.governments.map((g) =>
          el("option", {value: g.code, label: g.prefecture + (g.city ? " " + g.city : "") + "（" + g.code + "）"})));
      } catch (error) { /* suggestions are a help only */ }
    }, 250);
  }

  function checkAnswer(answer) {
    const item = answer.item;
    const rules = answer.rules;
    const steps = item.explanation || [];
    const status = el("strong", {class: "status " + item.status}, w("status." + item.status));
    const rows = [[w("result"), status]];
    if (item.status !== "error") {
      rows.push([w("rate"), item.rate || "—"],
                [columnLabel("amount"), yen(item.amount)],
                [columnLabel("specific_revenue"), yen(item.specific_revenue)],
                [w("net"), yen(item.net)],
                [w("measure"), el("span", {}, el("strong", {class: "amount"}, yen(item.measure)),
                                  " ", el("span", {class: "dim"}, w("measure_item_note")))]);
      const fs = answer.fiscal_strength;
      if (fs && fs.applies) {
        rows.push([w("step.fiscal_strength"), fs.missing
          ? el("span", {class: "warn"}, fs.message || fs.missing)
          : "× " + fs.multiplier + " = " + yen(fs.measure_adjusted), fs.missing ? "warn" : ""]);
      }
    }
    for (const reason of item.reasons) {
      rows.push([w("reason"), el("span", {}, codeText(reason), " ", el("code", {}, reason))]);
      const step = decidingStep(reason, steps);
      if (step) {
        rows.push([w("basis"), el("span", {}, el("code", {}, step.key), " ",
                                  cite(rules, step.source) || w("serve.page.source_missing"))]);
        if (step.note) rows.push([w("note"), el("span", {class: "note"}, step.note)]);
      }
    }
    if (item.warnings.length) rows.push([w("warnings"), codeList(item.warnings, "warn"), "warn"]);
    if (answer.errors.length) {
      rows.push([w("errors"), el("ul", {class: "codes bad"}, answer.errors.map((e) =>
        el("li", {}, e.message, " ", el("code", {}, e.code)))), "bad"]);
    }
    if (rules) {
      rows.push([w("rule_file"), el("span", {}, rules.measure + " " + rules.version,
                                    el("span", {class: "dim"}, " — " + rules.path + "  sha256 " + rules.sha256.slice(0, 12)))]);
    }
    const parts = [el("h2", {}, w("result")), pairs(rows)];
    if (steps.length) {
      parts.push(el("details", {class: "explanation"},
                    el("summary", {}, w("serve.page.explanation")),
                    explanationTable(steps, rules, w("serve.page.explanation"))));
    }
    return parts;
  }

  function checkBody() {
    const body = {};
    for (const name of FIELDS) {
      const value = checkForm.elements[name].value.trim();
      if (value) body[name] = value;
    }
    if (body.procurement === "joint") {
      const parties = checkForm.elements.agreement_parties.value.trim();
      const concluded = checkForm.elements.agreement_concluded_on.value;
      if (parties) body.agreement_parties = parties;
      if (concluded) body.agreement_concluded_on = concluded;
    }
    return body;
  }

  // ── a declaration file ─────────────────────────────────────────────────────────────────

  const declarationForm = document.getElementById("declaration-form");
  const declarationResult = document.getElementById("declaration-result");

  function declarationData() {
    const data = new FormData();
    data.append("file", declarationForm.elements.file.files[0]);
    for (const name of ["agreements", "fiscal_strength"]) {
      const chosen = declarationForm.elements[name].files[0];
      if (chosen) data.append(name, chosen);
    }
    return data;
  }

  function declarationUrl(format) {
    const unit = declarationForm.elements.unit.value;
    return "api/v1/calculate/file?format=" + format + "&unit=" + unit + "&lang=" + lang +
      (format === "json" ? "&explain=true" : "");
  }

  function itemCell(item, input) {
    const id = item.item_id || (input && input.item_id) || "—";
    const description = input && input.description ? " " + input.description : "";
    return el("th", {scope: "row"}, id + description);
  }

  function reasonCell(item) {
    if (item.status === "error") {
      return el("td", {class: "bad code"}, w("status.error") + ": ",
                item.errors.map((code) => el("code", {}, code + " ")));
    }
    return el("td", {class: item.status === "eligible" ? "ok" : "warn"},
              item.reasons.map((code) => codeText(code)).join(" / "));
  }

  function itemRows(declaration, inputs, rules, index) {
    const rows = [];
    declaration.items.slice(0, SHOWN_ITEMS).forEach((item, n) => {
      const input = inputs.get(item.row) || null;
      const detailId = "explain-" + index + "-" + n;
      const classes = ["item", item.status];
      if (item.warnings.length) classes.push("has-warning");
      const label = w("serve.page.explain_label", {item: item.item_id || n + 1});
      const button = el("button", {type: "button", class: "explain", "aria-expanded": "false",
                                   "aria-controls": detailId, "aria-label": label},
                        w("serve.page.explain"));
      const detail = el("tr", {id: detailId, class: "detail", hidden: true},
                        el("td", {colspan: "10"},
                           explanationTable(item.explanation || [], rules, label)));
      button.addEventListener("click", () => {
        const open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", String(open));
        detail.hidden = !open;
      });
      rows.push(el("tr", {class: classes.join(" ")},
        itemCell(item, input),
        el("td", {}, (input && input.business_area) || ""),
        el("td", {class: "num"}, amount(item.amount)),
        el("td", {class: "num"}, amount(item.specific_revenue)),
        el("td", {class: "num"}, amount(item.net)),
        el("td", {class: "num"}, item.rate || "—"),
        el("td", {class: "num"}, amount(item.measure)),
        reasonCell(item),
        el("td", {class: item.warnings.length ? "words warn" : ""},
           item.warnings.length ? el("span", {class: "mark", "aria-label": w("serve.page.warning_mark")}, "⚠ ") : "",
           item.warnings.map((code) => codeText(code)).join(" / ")),
        el("td", {}, button)), detail);
    });
    return rows;
  }

  function totals(declaration) {
    const t = declaration.totals;
    const c = declaration.counts;
    const rows = [
      [w("counts"), w("counts_text", {items: c.items, eligible: c.eligible, excluded: c.excluded,
                                        error: c.error, warning: c.warning})],
      [w("total_amount"), yen(t.amount)],
      [w("total_revenue"), yen(t.specific_revenue)],
      [w("total_net"), yen(t.net)],
      [w("total_excluded"), yen(t.excluded)],
      [w("measure_by_rate"), yen(t.measure_by_rate)],
    ];
    if (t.fiscal_strength_multiplier) {
      rows.push([w("fiscal_strength_multiplier"), "× " + t.fiscal_strength_multiplier + " (" + columnLabel("fiscal_strength_index") + " " + t.fiscal_strength_index + ")"]);
    }
    for (const code of declaration.warnings) {
      rows.push([w("warnings"), el("span", {}, codeText(code), " ", el("code", {}, code)), "warn"]);
    }
    rows.push([w("measure_exact"), yen(t.measure_exact)],
              [w("measure_rounded"), el("strong", {class: "amount"}, yen(t.measure))],
              [w("reconciliation"), el("span", {},
                amount(t.amount) + " = " + amount(t.net) + " + " + amount(t.excluded) + " + " + amount(t.specific_revenue) + "  ",
                declaration.reconciled ? el("strong", {class: "ok"}, "✓ " + w("reconciled"))
                                       : el("strong", {class: "bad"}, "✗ " + w("not_reconciled")),
                el("span", {class: "dim"}, " " + w("reconciliation_legend")))]);
    return pairs(rows);
  }

  function errorsTable(errors, total) {
    if (!errors.length) return el("p", {class: "ok"}, w("serve.page.no_errors"));
    const parts = [el("h2", {class: "bad"}, w("error_list", {n: total}))];
    parts.push(table([w("file"), [w("row"), "num"], w("column"), w("code"), w("message")],
      errors.map((e) => el("tr", {class: "is-error"},
        el("td", {}, e.file || ""), el("td", {class: "num"}, e.row === null ? "" : String(e.row)),
        el("td", {}, columnLabel(e.column)), el("td", {class: "code"}, el("code", {}, e.code)),
        el("td", {}, e.message))), {label: w("error_list", {n: total})}));
    if (total > errors.length) {
      parts.push(el("p", {class: "warn"}, w("serve.page.errors_left_out", {shown: errors.length, total: total})));
    }
    return el("div", {class: "errors"}, parts);
  }

  function declarationAnswer(answer) {
    const result = answer.result;
    const inputs = new Map(answer.inputs.map((row) => [row.row, row]));
    const parts = [el("div", {class: "downloads", role: "group", "aria-label": w("serve.page.downloads")},
      downloadButton(w("serve.page.download_xlsx"), () => request(declarationUrl("xlsx"), {method: "POST", body: declarationData()}), "tokko-results.xlsx", declarationResult),
      downloadButton(w("serve.page.download_csv"), () => request(declarationUrl("csv"), {method: "POST", body: declarationData()}), "tokko-results.csv", declarationResult))];
    if (!result.declarations.length) parts.push(el("p", {class: "warn"}, w("serve.page.no_declarations")));
    result.declarations.forEach((declaration, index) => {
      const rules = result.rules.find((r) => r.version === declaration.rules_version) || null;
      const heading = w("serve.page.declaration_heading", {
        name: declaration.entity_name || "", code: declaration.entity_code || "",
        year: fiscalYear(declaration.fiscal_year), version: declaration.rules_version || "—"});
      const head = [w("item"), columnLabel("business_area"), [columnLabel("amount"), "num"],
                    [columnLabel("specific_revenue"), "num"], [w("net"), "num"], [w("rate"), "num"],
                    [w("measure"), "num"], w("reason"), w("warnings"), w("serve.page.explain")];
      const section = el("section", {class: "declaration"}, el("h2", {}, heading),
        table(head, itemRows(declaration, inputs, rules, index), {label: heading}));
      if (declaration.items.length > SHOWN_ITEMS) {
        section.append(el("p", {class: "warn"}, w("serve.page.rows_left_out", {shown: SHOWN_ITEMS, total: declaration.items.length})));
      }
      section.append(el("h3", {}, w("serve.page.totals")), totals(declaration));
      parts.push(section);
    });
    parts.push(errorsTable(result.errors, result.errors.length));
    return parts;
  }

  // ── a batch ────────────────────────────────────────────────────────────────────────────

  const batchForm = document.getElementById("batch-form");
  const batchResult = document.getElementById("batch-result");

  function batchData() {
    const data = new FormData();
    for (const chosen of batchForm.elements.files.files) data.append("files", chosen);
    for (const name of ["agreements", "fiscal_strength"]) {
      const chosen = batchForm.elements[name].files[0];
      if (chosen) data.append(name, chosen);
    }
    return data;
  }

  function batchUrl(format) {
    return "api/v1/batch?format=" + format + "&unit=" + batchForm.elements.unit.value + "&lang=" + lang;
  }

  function batchAnswer(answer) {
    const report = answer.report;
    const parts = [el("div", {class: "downloads", role: "group", "aria-label": w("serve.page.downloads")},
      downloadButton(w("serve.page.download_xlsx"), () => request(batchUrl("xlsx"), {method: "POST", body: batchData()}), "tokko-batch.xlsx", batchResult),
      downloadButton(w("serve.page.download_zip"), () => request(batchUrl("zip"), {method: "POST", body: batchData()}), "tokko-batch.zip", batchResult))];
    parts.push(el("p", {class: report.ok ? "ok" : "warn"}, w("batch_done", {
      rows: report.rows.toLocaleString(), warnings: report.warning_rows.toLocaleString(),
      errors: report.error_rows.toLocaleString(), files: report.file_problems.toLocaleString(),
      entities: report.entities.toLocaleString()})));
    const counts = Object.entries(report.warnings).sort((a, b) => b[1] - a[1]);
    if (counts.length) {
      parts.push(el("h2", {}, w("serve.page.warning_counts")),
                 el("ul", {class: "codes warn"}, counts.map(([code, n]) =>
                   el("li", {}, codeText(code), " ", el("code", {}, code), ": " + n.toLocaleString()))));
    }
    const head = [w("entity_code"), w("entity_name"), w("fiscal_year"), w("version"),
                  [w("serve.page.items"), "num"], [w("serve.page.eligible_items"), "num"],
                  [w("serve.page.excluded_items"), "num"], [w("serve.page.error_items"), "num"],
                  [w("serve.page.warning_items"), "num"], [w("total_amount"), "num"],
                  [w("measure_by_rate"), "num"], [w("measure_rounded"), "num"], w("warnings")];
    parts.push(el("h2", {}, w("serve.page.summary")), table(head, answer.summary.map((s) => {
      const classes = [];
      if (s.error_items) classes.push("is-error");
      else if (s.warning_items) classes.push("has-warning");
      return el("tr", {class: classes.join(" ")},
        el("td", {}, el("code", {}, s.entity_code)), el("th", {scope: "row"}, s.entity_name),
        el("td", {class: "nowrap", title: fiscalYear(s.fiscal_year)}, String(s.fiscal_year)), el("td", {}, s.rules_version),
        el("td", {class: "num"}, String(s.items)), el("td", {class: "num"}, String(s.eligible_items)),
        el("td", {class: "num"}, String(s.excluded_items)), el("td", {class: "num"}, String(s.error_items)),
        el("td", {class: "num"}, String(s.warning_items)), el("td", {class: "num"}, amount(s.amount)),
        el("td", {class: "num"}, amount(s.measure_by_rate)),
        el("td", {class: "num"}, el("strong", {}, amount(s.measure))),
        el("td", {class: s.warnings.length ? "warn" : ""}, s.warnings.map((code) => codeText(code)).join(" / ")));
    }), {label: w("serve.page.summary")}));
    parts.push(errorsTable(answer.errors, answer.errors_total));
    return parts;
  }

  // ── wiring ─────────────────────────────────────────────────────────────────────────────

  document.addEventListener("DOMContentLoaded", () => {
    Tokko.setUpToken();
    show(false);
    window.addEventListener("hashchange", () => show(true));
    jointFields();
    checkForm.elements.procurement.addEventListener("change", jointFields);
    checkForm.elements.entity_code.addEventListener("input", suggest);

    checkForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!checkForm.elements.amount.value.trim()) {
        checkResult.replaceChildren(el("p", {class: "problem", role: "alert"}, w("serve.page.amount_required")));
        checkForm.elements.amount.focus();
        return;
      }
      submit(checkForm, checkResult, () => request("api/v1/check?lang=" + lang, {
        method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify(checkBody())}), checkAnswer);
    });

    declarationForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!declarationForm.elements.file.files.length) {
        declarationResult.replaceChildren(el("p", {class: "problem", role: "alert"}, w("serve.page.choose_file")));
        declarationForm.elements.file.focus();
        return;
      }
      submit(declarationForm, declarationResult, () => request(declarationUrl("json"), {
        method: "POST", body: declarationData()}), declarationAnswer);
    });

    const template = document.getElementById("template-download");
    template.addEventListener("click", async () => {
      template.disabled = true;
      try {
        const response = await request("api/v1/template?lang=" + lang);
        if (response.ok) await save(response, "tokko-template.xlsx");
        else declarationResult.replaceChildren(await problemBox(response));
      } catch (error) {
        declarationResult.replaceChildren(networkBox());
      } finally {
        template.disabled = false;
      }
    });

    batchForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!batchForm.elements.files.files.length) {
        batchResult.replaceChildren(el("p", {class: "problem", role: "alert"}, w("serve.page.choose_file")));
        batchForm.elements.files.focus();
        return;
      }
      submit(batchForm, batchResult, () => request(batchUrl("json"), {
        method: "POST", body: batchData()}), batchAnswer);
    });
  });
})();
