"use strict";
// govrules web page: plain JavaScript, no framework, no network access beyond this server.
(function () {
  const T = {
    zh: {
      skip: "跳到正文", title: "政务信息化项目合规检查", nav_check: "检查项目", nav_packs: "政策包",
      nav_portfolio: "项目组合", check_title: "上传或粘贴项目快照",
      file: "文件 (YAML、JSON、JSON Lines、CSV、Excel)", paste: "或粘贴内容", city: "政策包",
      city_auto: "按快照中的城市", as_of: "检查日", submit: "检查",
      offline: "本页面所有资源均随软件提供,可离线使用。", switch_to: "English",
      nothing: "请选择文件或粘贴内容。", checking: "正在检查…", failed: "无法检查:以下位置有错误",
      verdict: "结论", binding: "有约束力", not_binding: "无约束力", findings: "发现",
      status: "状态", severity: "级别", article: "条款", due: "期限", message: "说明",
      next_steps: "下一步", no_findings: "没有需要列出的发现。", close: "关闭",
      explanation: "判定过程", rule: "规则", quote: "原文", missing: "缺少事实",
      packs_title: "政策包", rules: "条规则", articles: "条", doc_number: "文号",
      effective: "施行", expires: "失效", back: "返回", no_rules: "本条没有可检查的规则",
      portfolio_title: "项目组合", due_title: "即将到期", overdue_title: "已逾期",
      days: "天数", on: "日期", refresh: "刷新", projects: "项目", owner: "业主单位",
      none: "无", history: "历史", evaluations: "评估记录", changes: "变化", opened: "新增违反",
      closed: "已整改", project: "项目", pack: "政策包", city_col: "城市", calendar: "导出日历 (.ics)",
      replay: "重放核验", verified: "逐字节一致", differs: "不一致", records: "条记录",
      not_checkable: "不可检查", error_at: "位置",
      status_violated: "违反", status_satisfied: "符合", status_undetermined: "无法判定",
      status_not_applicable: "不适用", status_waived: "已豁免",
      verdict_compliant: "合规", verdict_non_compliant: "不合规",
      verdict_undetermined: "无法判定", verdict_not_applicable: "不适用",
      pack_in_force: "现行有效", pack_draft: "征求意见稿", pack_expired: "已失效", pack_repealed: "已废止"
    },
    en: {
      skip: "Skip to content", title: "Compliance checks for government IT projects",
      nav_check: "Check a project", nav_packs: "Policy packs", nav_portfolio: "Portfolio",
      check_title: "Upload or paste a project snapshot",
      file: "File (YAML, JSON, JSON Lines, CSV, Excel)", paste: "or paste it here",
      city: "Pack", city_auto: "the snapshot's own city", as_of: "As of", submit: "Check",
      offline: "Every asset of this page ships with govrules: it works offline.",
      switch_to: "中文", nothing: "Choose a file or paste a snapshot.", checking: "Checking…",
      failed: "Could not check: errors at these places", verdict: "Verdict",
      binding: "binding", not_binding: "not binding", findings: "Findings", status: "Status",
      severity: "Severity", article: "Article", due: "Due", message: "Finding",
      next_steps: "Next steps", no_findings: "No findings to list.", close: "Close",
      explanation: "How it was decided", rule: "Rule", quote: "Text", missing: "Missing facts",
      packs_title: "Policy packs", rules: "rules", articles: "articles",
      doc_number: "Document", effective: "effective", expires: "expires", back: "Back",
      no_rules: "No checkable rule cites this article", portfolio_title: "Portfolio",
      due_title: "Due soon", overdue_title: "Overdue", days: "Days", on: "On",
      refresh: "Refresh", projects: "Projects", owner: "Owner", none: "none",
      history: "History", evaluations: "Evaluations", changes: "Changes",
      opened: "opened", closed: "closed", project: "Project", pack: "Pack", city_col: "City",
      calendar: "Export calendar (.ics)", replay: "Replay and verify",
      verified: "identical, byte for byte", differs: "differs", records: "records",
      not_checkable: "not checkable", error_at: "at",
      status_violated: "violated", status_satisfied: "satisfied",
      status_undetermined: "undetermined", status_not_applicable: "not applicable",
      status_waived: "waived", verdict_compliant: "compliant",
      verdict_non_compliant: "non-compliant", verdict_undetermined: "undetermined",
      verdict_not_applicable: "not applicable", pack_in_force: "in force", pack_draft: "draft",
      pack_expired: "expired", pack_repealed: "repealed"
    }
  };
  let lang = localStorage.getItem("govrules-lang") === "en" ? "en" : "zh";
  let last = null; // the last check: {body, type, name, city, asOf, data}
  let opened = null; // the finding shown in the panel: [report, finding]

  const $ = (sel) => document.querySelector(sel);
  const t = (key) => T[lang][key] || key;
  const pick = (v) => v == null ? "" : typeof v === "string" ? v : (v[lang] || v.zh || v.en || "");
  function el(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) {
      if (kid == null) continue;
      node.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return node;
  }
  function svg(text) { // the server's own SVG (escaped there); parsed, never executed
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    return document.importNode(doc.documentElement, true);
  }
  async function api(path, options) {
    const response = await fetch(path, options);
    const type = response.headers.get("content-type") || "";
    const data = type.includes("json") ? await response.json() : await response.text();
    return { ok: response.ok, status: response.status, data };
  }
  function place(e) {
    let at = e.file || "";
    if (e.line != null) at += ":" + e.line + (e.col != null ? ":" + e.col : "");
    if (e.path) at += (at ? " " : "") + "(" + e.path + ")";
    return at;
  }
  function errorList(errors) {
    return el("ul", {}, errors.map((e) => el("li", {},
      el("code", {}, place(e) || "-"), " ", el("strong", {}, e.code), ": ",
      lang === "zh" && e.message_zh ? e.message_zh : e.message,
      e.hint ? el("span", { class: "muted" }, " (" + e.hint + ")") : null)));
  }

  // -- language ----------------------------------------------------------------------
  function applyLang() {
    document.documentElement.lang = lang === "zh" ? "zh" : "en";
    document.body.className = "lang-" + lang;
    document.querySelectorAll("[data-i18n]").forEach((n) => { n.textContent = t(n.dataset.i18n); });
    $("#lang").textContent = t("switch_to");
    document.title = "govrules — " + t("title");
    route();
  }
  $("#lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem("govrules-lang", lang);
    applyLang();
  });

  // -- checking ----------------------------------------------------------------------
  function mediaType(name) {
    const n = (name || "").toLowerCase();
    if (n.endsWith(".xlsx")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) return "application/x-ndjson";
    if (n.endsWith(".json")) return "application/json";
    if (n.endsWith(".csv")) return "text/csv";
    if (n.endsWith(".yaml") || n.endsWith(".yml")) return "application/yaml";
    return "text/plain";
  }
  $("#check-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = $("#file").files[0];
    const text = $("#text").value;
    const errors = $("#check-errors");
    errors.hidden = true;
    $("#finding").hidden = true;
    opened = null;
    if (!file && !text.trim()) {
      errors.replaceChildren(t("nothing"));
      errors.hidden = false;
      return;
    }
    const body = file ? await file.arrayBuffer() : text;
    const name = file ? file.name : (lang === "zh" ? "粘贴内容" : "pasted");
    last = { body, type: file ? mediaType(file.name) : "text/plain", name,
             city: $("#city").value, asOf: $("#as-of").value };
    $("#check-result").replaceChildren(el("p", {}, t("checking")));
    const q = new URLSearchParams({ name, timeline: "true", detail: "full" });  // full: article titles, due-date explanations
    if (last.city) q.set("city", last.city);
    if (last.asOf) q.set("as_of", last.asOf);
    const r = await api("/v1/check?" + q, { method: "POST", body, headers: { "Content-Type": last.type } });
    last.data = r.data;
    renderCheck();
  });
  function renderCheck() {
    if (!last || !last.data) return;
    const data = last.data;
    const box = $("#check-result");
    const errors = $("#check-errors");
    const failed = (data.errors || []).concat(...(data.results || []).map((r) => r.errors || []));
    if (failed.length) {
      errors.replaceChildren(el("p", {}, el("strong", {}, t("failed"))), errorList(failed));
      errors.hidden = false;
    } else errors.hidden = true;
    const results = (data.results || []).map((r, i) => r.errors ? null : renderResult(r, (data.timelines || [])[i]));
    box.replaceChildren(...results.filter(Boolean));
    if (opened) openFinding(opened[0], opened[1], false);
  }
  function reportsOf(r) { return r.reports ? r.reports : [r]; }
  function renderResult(result, timeline) {
    const parts = [el("h3", {}, (result.snapshot_id || result.source) + " · " + t("as_of") + " " + result.as_of + " · ",
      el("span", { class: "verdict v-" + result.verdict }, t("verdict_" + result.verdict)))];
    if (timeline) parts.push(el("div", { class: "tl-wrap", tabindex: "0", role: "region", "aria-label": t("due") }, svg(timeline)));
    for (const report of reportsOf(result)) {
      const pack = report.pack;
      parts.push(el("h4", {}, lang === "zh" ? pack.title_zh : pack.title_en, " ",
        el("span", { class: "verdict v-" + report.verdict }, t("verdict_" + report.verdict)), " ",
        el("span", { class: "muted" }, report.binding ? t("binding") : t("not_binding"))));
      if (!report.findings.length) parts.push(el("p", {}, t("no_findings")));
      else parts.push(el("table", { class: "findings" },
        el("thead", {}, el("tr", {}, ["status", "severity", "article", "due", "message"].map((k) => el("th", { scope: "col" }, t(k))))),
        el("tbody", {}, report.findings.map((f) => el("tr", {},
          el("td", { class: "s-" + f.status }, t("status_" + f.status)),
          el("td", {}, f.severity), el("td", {}, f.article.label), el("td", {}, f.due || ""),
          el("td", {}, el("button", { type: "button", "data-rule": f.rule,
            onclick: () => openFinding(report, f) }, pick(f.message))))))));
      if (report.next_steps.length) parts.push(el("h4", {}, t("next_steps")), el("ol", {},
        report.next_steps.map((s) => el("li", {}, pick(s.text), s.due ? " — " + s.due : "", " (" + s.article.label + ")"))));
    }
    return el("div", { class: "result" }, parts);
  }
  async function openFinding(report, finding, focus = true) {
    const panel = $("#finding");
    opened = [report, finding];
    // Titles and summaries are said once per report, in report.articles (pack.number).
    const a = { ...((report.articles || {})[finding.article.pack + "." + finding.article.number] || {}), ...finding.article };
    const head = [
      el("h3", { id: "finding-title" }, a.label + (a.title ? " " + a.title : "") + " · ", el("span", { class: "s-" + finding.status }, t("status_" + finding.status))),
      el("p", {}, pick(finding.message)),
      el("p", {}, el("strong", {}, t("rule") + ": "), el("code", {}, finding.rule)),
      a.quote ? el("blockquote", { lang: "zh" }, a.quote) : null,
      a.summary && lang === "en" ? el("p", { class: "muted" }, a.summary) : null,
      finding.missing.length ? el("p", {}, t("missing") + ": " + finding.missing.join(", ")) : null,
      el("button", { type: "button", onclick: () => { panel.hidden = true; opened = null; } }, t("close"))];
    panel.replaceChildren(...head.filter(Boolean));
    panel.hidden = false;
    if (focus) panel.focus();
    if (!last || !last.body || (last.data.results || []).length !== 1) return;
    const q = new URLSearchParams({ rule: finding.rule, name: last.name, city: report.pack.id });
    if (last.asOf) q.set("as_of", last.asOf);
    const r = await api("/v1/explain?" + q, { method: "POST", body: last.body, headers: { "Content-Type": last.type } });
    if (r.ok) panel.insertBefore(el("details", { open: true }, el("summary", {}, t("explanation")), el("pre", {}, r.data.text)), panel.lastChild);
  }

  // -- packs -------------------------------------------------------------------------
  let packs = [];
  async function loadPacks() {
    if (packs.length) return packs;
    const r = await api("/v1/packs");
    packs = r.ok ? r.data : [];
    const select = $("#city");
    for (const p of packs) select.append(el("option", { value: p.id }, p.id));
    return packs;
  }
  async function showPacks(id) {
    const view = $("#view-packs");
    await loadPacks();
    if (!id) {
      view.replaceChildren(el("h2", {}, t("packs_title")), el("ul", {}, packs.map((p) => el("li", {},
        el("a", { href: "#/packs/" + p.id }, pick(p.city) + " — " + pick(p.title)), " ",
        el("span", { class: "muted" }, t("pack_" + p.status) + " · " + p.articles + " " + t("articles") + " · " + p.rules + " " + t("rules"))))));
      return;
    }
    const r = await api("/v1/packs/" + encodeURIComponent(id));
    if (!r.ok) { view.replaceChildren(el("div", { class: "errors", role: "alert" }, errorList(r.data.errors || []))); return; }
    const p = r.data;
    view.replaceChildren(
      el("p", {}, el("a", { href: "#/packs" }, "← " + t("back"))),
      el("h2", {}, pick(p.title)),
      el("p", {}, t("doc_number") + ": " + (p.doc_number || "-") + " · " + t("pack_" + p.status) + " · " + t("effective") + " " + (p.effective || "-") + (p.expires ? " · " + t("expires") + " " + p.expires : "")),
      ...p.article_list.map((a) => el("details", { id: "art-" + a.number },
        el("summary", {}, a.label + (a.title ? " " + a.title : "") + " (" + a.rules.length + " " + t("rules") + ")"),
        el("blockquote", { lang: "zh" }, a.text),
        lang === "en" ? el("p", { class: "muted" }, a.summary) : null,
        a.rules.length ? el("ul", {}, a.rules.map((rule) => el("li", {},
          el("code", {}, rule.id), " ", pick(rule.title), " ", el("span", { class: "muted" }, rule.severity + " · " + rule.form),
          rule.quote ? el("blockquote", { lang: "zh" }, rule.quote) : null)))
          : el("p", { class: "muted" }, t("no_rules") + (a.not_checkable.length ? " — " + a.not_checkable.join("; ") : "")))));
  }

  // -- portfolio ---------------------------------------------------------------------
  function itemTable(items) {
    if (!items.length) return el("p", { class: "muted" }, t("none"));
    return el("table", {}, el("thead", {}, el("tr", {}, ["due", "project", "pack", "article", "message"].map((k) => el("th", { scope: "col" }, t(k))))),
      el("tbody", {}, items.map((i) => el("tr", {}, el("td", {}, i.due),
        el("td", {}, el("a", { href: "#/portfolio/" + encodeURIComponent(i.project) }, i.project)),
        el("td", {}, i.pack), el("td", {}, i.article), el("td", {}, pick(i.text))))));
  }
  async function showPortfolio(key) {
    const view = $("#view-portfolio");
    if (key) return showProject(view, key);
    const on = sessionStorage.getItem("govrules-on") || new Date().toISOString().slice(0, 10);
    const days = sessionStorage.getItem("govrules-days") || "30";
    const [due, overdue, projects] = await Promise.all([
      api("/v1/portfolio/due?" + new URLSearchParams({ on, days })),
      api("/v1/portfolio/overdue?" + new URLSearchParams({ on })), api("/v1/projects")]);
    const form = el("form", { class: "row inline", onsubmit: (e) => {
      e.preventDefault();
      sessionStorage.setItem("govrules-on", form.querySelector("#on").value);
      sessionStorage.setItem("govrules-days", form.querySelector("#days").value);
      showPortfolio();
    } }, el("label", { for: "on" }, t("on")), el("input", { id: "on", type: "date", value: on }),
      el("label", { for: "days" }, t("days")), el("input", { id: "days", type: "number", min: "0", max: "3660", value: days }),
      el("button", { type: "submit" }, t("refresh")), el("a", { href: "/v1/portfolio/calendar.ics" }, t("calendar")));
    view.replaceChildren(el("h2", {}, t("portfolio_title")), form,
      el("div", { class: "grid" },
        el("section", { "aria-labelledby": "due-h" }, el("h3", { id: "due-h" }, t("due_title")), due.ok ? itemTable(due.data) : errorList(due.data.errors || [])),
        el("section", { "aria-labelledby": "over-h" }, el("h3", { id: "over-h" }, t("overdue_title")), overdue.ok ? itemTable(overdue.data) : errorList(overdue.data.errors || []))),
      el("h3", {}, t("projects")),
      el("table", {}, el("thead", {}, el("tr", {}, ["project", "city_col", "owner", "verdict"].map((k) => el("th", { scope: "col" }, t(k))))),
        el("tbody", {}, (projects.data || []).map((p) => el("tr", {},
          el("td", {}, el("a", { href: "#/portfolio/" + encodeURIComponent(p.key) }, p.key + (p.name ? " " + p.name : ""))),
          el("td", {}, p.city || "-"), el("td", {}, p.owner || "-"),
          el("td", {}, Object.entries(p.verdicts).map(([k, v]) => el("span", { class: "verdict v-" + v }, k + ": " + t("verdict_" + v)))))))));
  }
  async function showProject(view, key) {
    const [h, c] = await Promise.all([api("/v1/projects/" + encodeURIComponent(key)), api("/v1/projects/" + encodeURIComponent(key) + "/changes")]);
    if (!h.ok) { view.replaceChildren(el("div", { class: "errors", role: "alert" }, errorList(h.data.errors || []))); return; }
    const p = h.data;
    view.replaceChildren(
      el("p", {}, el("a", { href: "#/portfolio" }, "← " + t("back"))),
      el("h2", {}, p.key + (p.name ? " " + p.name : "")),
      el("p", {}, (p.city || "-") + " · " + t("owner") + ": " + (p.owner || "-") + " · ",
        el("a", { href: "/v1/projects/" + encodeURIComponent(key) + "/calendar.ics" }, t("calendar"))),
      el("h3", {}, t("changes")),
      el("ul", {}, (c.data || []).map((ch) => el("li", {}, ch.pack + ": " + (ch.previous ? ch.previous.as_of : t("none")) + " → " + ch.as_of + " · ",
        t("opened") + ": " + (ch.opened.join(", ") || "-") + " · " + t("closed") + ": " + (ch.closed.join(", ") || "-")))),
      el("h3", {}, t("evaluations")),
      el("table", {}, el("thead", {}, el("tr", {}, ["as_of", "pack", "verdict", "status", "replay"].map((k) => el("th", { scope: "col" }, t(k))))),
        el("tbody", {}, p.evaluations.slice().reverse().map((e) => {
          const out = el("span", { class: "muted" });
          return el("tr", {}, el("td", {}, e.as_of), el("td", {}, e.pack + " v" + e.pack_version),
            el("td", {}, el("span", { class: "verdict v-" + e.verdict }, t("verdict_" + e.verdict))),
            el("td", {}, Object.entries(e.counts).map(([s, n]) => t("status_" + s) + " " + n).join(" · ")),
            el("td", {}, el("button", { type: "button", onclick: async () => {
              const r = await api("/v1/evaluations/" + e.id + "/replay");
              out.textContent = " " + (r.ok && r.data.verified ? t("verified") : t("differs"));
            } }, t("replay")), out));
        }))));
  }

  // -- routing -----------------------------------------------------------------------
  function route() {
    const hash = location.hash || "#/check";
    const [, view, arg] = hash.split("/").map(decodeURIComponent);
    for (const name of ["check", "packs", "portfolio"]) {
      $("#view-" + name).hidden = name !== view;
      const link = document.querySelector('nav a[href="#/' + name + '"]');
      if (name === view) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
    }
    if (view === "packs") showPacks(arg);
    else if (view === "portfolio") showPortfolio(arg);
    else { $("#view-check").hidden = false; loadPacks(); renderCheck(); }
  }
  window.addEventListener("hashchange", route);
  applyLang();
})();
