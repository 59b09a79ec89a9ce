/* tokko serve — what the page and the API docs share: words, elements, requests, problems.
   No framework, no build step: plain DOM, text set with textContent (never HTML). */
"use strict";

const Tokko = (() => {
  const data = document.getElementById("words");
  const words = data ? JSON.parse(data.textContent) : {};
  const lang = document.documentElement.lang === "en" ? "en" : "ja";

  /** The catalog entry `id` with its {placeholders} filled; the id itself when missing. */
  function w(id, params) {
    let text = Object.prototype.hasOwnProperty.call(words, id) ? words[id] : id;
    if (params) {
      text = text.replace(/\{(\w+)\}/g, (all, name) =>
        Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : all);
    }
    return text;
  }

  /** The words of a code (`code.X`), or the code itself. */
  function codeText(code) {
    return Object.prototype.hasOwnProperty.call(words, "code." + code) ? words["code." + code] : code;
  }

  /** el("p", {class: "x"}, "text", child…): an element; strings become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** A decimal string with thousands separators: "1234567.5" → "1,234,567.5". */
  function amount(text) {
    if (text === null || text === undefined || text === "") return "—";
    const [whole, fraction] = String(text).split(".");
    const sign = whole.startsWith("-") ? "-" : "";
    const digits = whole.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + digits + (fraction ? "." + fraction : "");
  }

  /** 令和3年度 for 2021 (the Japanese era of the fiscal year's April). */
  function eraLabel(year) {
    if (year >= 2019) return "令和" + (year === 2019 ? "元" : year - 2018) + "年度";
    if (year >= 1989) return "平成" + (year === 1989 ? "元" : year - 1988) + "年度";
    return "昭和" + (year - 1925) + "年度";
  }

  function fiscalYear(year) {
    if (year === null || year === undefined) return "—";
    return w("serve.page.fiscal_year_label", {year: year, label: eraLabel(year)});
  }

  function token() {
    const box = document.getElementById("token");
    const given = box ? box.value.trim() : "";
    return given || sessionStorage.getItem("tokko-token") || "";
  }

  function setUpToken() {
    const box = document.getElementById("token-box");
    if (!box || document.body.dataset.tokenRequired !== "true") return;
    box.hidden = false;
    const input = document.getElementById("token");
    input.value = sessionStorage.getItem("tokko-token") || "";
    input.addEventListener("change", () => sessionStorage.setItem("tokko-token", input.value.trim()));
  }

  /** A request to the API (a path relative to the page); the Response. */
  async function request(path, options) {
    const headers = Object.assign({"Accept-Language": lang}, (options && options.headers) || {});
    const bearer = token();
    if (bearer) headers.Authorization = "Bearer " + bearer;
    return fetch(path, Object.assign({}, options || {}, {headers: headers}));
  }

  /** A problem (RFC 9457) or any failed answer, as an alert box. */
  async function problemBox(response) {
    let problem = null;
    try { problem = await response.json(); } catch (error) { problem = null; }
    const box = el("div", {class: "problem", role: "alert"});
    if (!problem || typeof problem !== "object") {
      box.append(el("p", {class: "problem-title"}, w("serve.page.failed") + " (" + response.status + ")"));
      return box;
    }
    box.append(el("p", {class: "problem-title"}, problem.title || w("serve.page.failed")),
               el("p", {}, problem.detail || ""));
    const errors = problem.errors || [];
    if (errors.length) {
      box.append(el("ul", {}, errors.map((e) => el("li", {},
        (e.messages && (lang === "ja" ? e.messages.ja : e.messages.en)) || e.code,
        " ", el("code", {}, e.code)))));
    }
    if (problem.code) box.append(el("p", {class: "problem-code"}, el("code", {}, problem.code)));
    return box;
  }

  function networkBox() {
    return el("div", {class: "problem", role: "alert"},
              el("p", {class: "problem-title"}, w("serve.page.network_error")));
  }

  /** The file name a download answer gives (Content-Disposition), else `fallback`. */
  function downloadName(response, fallback) {
    const header = response.headers.get("Content-Disposition") || "";
    const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (utf8) return decodeURIComponent(utf8[1]);
    const plain = /filename="([^"]+)"/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  /** Save a Response's body as a file the browser downloads. */
  async function save(response, fallback) {
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = el("a", {href: url, download: downloadName(response, fallback), hidden: true});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /** A table: headers (strings or [text, className]) and rows of cells (strings or nodes). */
  function table(headers, rows, attrs) {
    const head = el("thead", {}, el("tr", {}, headers.map((h) => Array.isArray(h)
      ? el("th", {scope: "col", class: h[1]}, h[0]) : el("th", {scope: "col"}, h))));
    const body = el("tbody", {}, rows);
    return el("div", {class: "table-wrap", tabindex: "0", role: "region",
                      "aria-label": (attrs && attrs.label) || ""},
              el("table", attrs && attrs.id ? {id: attrs.id} : {}, head, body));
  }

  return {words, lang, w, codeText, el, amount, eraLabel, fiscalYear, request, problemBox,
          networkBox, save, table, setUpToken};
})();
