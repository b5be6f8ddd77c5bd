// The guided application form: HS code look-up, catalog search at the chosen lab, sample rows,
// and a live price / completion-date summary. Without JavaScript the form still works: the
// checkbox list and the "Check price and date" button do the same through the server.
(function () {
  "use strict";
  const form = document.getElementById("application-form");
  if (!form) return;
  const text = form.dataset;
  const $ = (id) => document.getElementById(id);
  const chosen = new Map(); // test item id -> name

  function debounce(fn, ms) {
    let timer;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  }

  async function getJson(url, params) {
    const query = new URLSearchParams(params);
    const response = await fetch(`${url}?${query}`, { headers: { Accept: "application/json" } });
    return { ok: response.ok, data: await response.json() };
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    });
    (children || []).forEach((child) => node.appendChild(child));
    return node;
  }

  const money = (value) => `¥${Number(value).toFixed(2)}`;
  const accredited = () => ($("id_requires_accreditation").checked ? "1" : "0");

  // HS code look-up
  const hsInput = $("id_hs_code");
  const hsList = $("hs_suggestions");
  const hsSearch = debounce(async () => {
    const q = hsInput.value.trim();
    hsList.replaceChildren();
    if (q.length < 2) { hsList.hidden = true; return; }
    const { data } = await getJson(text.hsUrl, { q });
    data.results.forEach((row) => {
      const button = element("button", { type: "button", class: "link", "data-code": row.code },
        [element("strong", { text: row.code }), element("span", { text: ` ${row.name_zh} · ${row.name_en}` })]);
      button.addEventListener("click", () => {
        hsInput.value = row.code;
        $("hs_name").textContent = `${row.name_zh} · ${row.name_en}`;
        hsList.hidden = true;
      });
      hsList.appendChild(element("li", {}, [button]));
    });
    hsList.hidden = data.results.length === 0;
  }, 250);
  hsInput.addEventListener("input", hsSearch);

  // Test items: a search over the chosen lab's catalog replaces the checkbox list.
  const checks = $("item-checks");
  checks.querySelectorAll("input:checked").forEach((box) => chosen.set(box.value, box.dataset.name));
  checks.remove();
  $("item-picker").hidden = false;
  const chips = $("chosen_items");
  const results = $("item_results").querySelector("tbody");

  function renderChips(missing) {
    chips.replaceChildren();
    if (chosen.size === 0) chips.appendChild(element("span", { class: "muted", text: text.noneChosen }));
    chosen.forEach((name, id) => {
      const remove = element("button", { type: "button", class: "chip-remove", "aria-label": `${text.remove} ${name}`, text: "×" });
      remove.addEventListener("click", () => { chosen.delete(id); changed(); searchItems(); });
      const label = missing && missing.has(id) ? `${name} (${text.notOffered})` : name;
      chips.appendChild(element("span", { class: missing && missing.has(id) ? "chip missing" : "chip" }, [
        element("input", { type: "hidden", name: "test_items", value: id }),
        element("span", { text: label }), remove]));
    });
  }

  const searchItems = debounce(async () => {
    const lab = $("id_lab").value;
    results.replaceChildren();
    if (!lab) { results.appendChild(element("tr", {}, [element("td", { colspan: "5", class: "muted", text: text.chooseLab })])); return; }
    const { data } = await getJson(text.capabilitiesUrl, { lab, q: $("item_search").value.trim(), accredited: accredited() });
    if (!data.results || data.results.length === 0) {
      results.appendChild(element("tr", {}, [element("td", { colspan: "5", class: "muted", text: text.noMatch })]));
      return;
    }
    data.results.forEach((row) => {
      const id = String(row.test_item);
      const taken = chosen.has(id);
      const add = element("button", { type: "button", class: taken ? "secondary" : "", text: taken ? text.added : text.add });
      if (taken) add.disabled = true;
      add.addEventListener("click", () => { chosen.set(id, row.name); changed(); searchItems(); });
      const name = element("td", {}, [element("span", { text: row.name }), element("span", { class: "muted", text: ` ${row.code}` })]);
      if (row.accredited) name.appendChild(element("span", { class: "badge approved", text: text.accredited }));
      results.appendChild(element("tr", {}, [name, element("td", { class: "muted", text: row.standard }),
        element("td", { class: "num", text: money(row.price) }),
        element("td", { class: "num", text: `${row.turnaround_days} ${text.days}` }), element("td", {}, [add])]));
    });
  }, 250);
  $("item_search").addEventListener("input", searchItems);
  $("id_lab").addEventListener("change", () => { searchItems(); changed(); });
  $("id_requires_accreditation").addEventListener("change", () => { searchItems(); changed(); });

  // Samples: add and remove rows.
  const rows = $("sample_rows").querySelector("tbody");
  function renumber() {
    const all = rows.querySelectorAll("tr.sample-row");
    all.forEach((row, index) => {
      row.querySelector(".row-number").textContent = String(index + 1);
      row.querySelector(".remove-row").hidden = all.length === 1;
    });
  }
  function wireRow(row) {
    row.querySelector(".remove-row").addEventListener("click", () => { row.remove(); renumber(); changed(); });
    row.querySelectorAll("input").forEach((input) => input.addEventListener("input", debounce(changed, 300)));
  }
  rows.querySelectorAll("tr.sample-row").forEach(wireRow);
  $("add_sample").hidden = false;
  $("add_sample").addEventListener("click", () => {
    const row = rows.querySelector("tr.sample-row").cloneNode(true);
    row.querySelectorAll("input").forEach((input) => { input.value = ""; });
    rows.appendChild(row);
    wireRow(row);
    renumber();
    row.querySelector("input").focus();
  });
  renumber();

  // Summary: price and predicted completion, recomputed on every change.
  function sampleCount() {
    return Array.from(rows.querySelectorAll("tr.sample-row")).filter((row) =>
      Array.from(row.querySelectorAll("input")).some((input) => input.value.trim())).length;
  }
  function changed() { quoteSoon(); }
  const quoteSoon = debounce(async () => {
    const lab = $("id_lab").value;
    const params = new URLSearchParams({ lab, samples: String(sampleCount()), accredited: accredited() });
    chosen.forEach((_name, id) => params.append("items", id));
    if (!lab) return;
    const { ok, data } = await getJson(text.quoteUrl, params);
    if (!ok) return;
    const offered = new Set(data.lines.map((line) => String(line.test_item)));
    renderChips(new Set(Array.from(chosen.keys()).filter((id) => !offered.has(id))));
    $("quote_lines").replaceChildren(...data.lines.map((line) => element("tr", {}, [
      element("td", { text: line.name }), element("td", { class: "num", text: money(line.price) }),
      element("td", { class: "num", text: `${line.turnaround_days} ${text.days}` }),
      element("td", { class: "num", text: `${line.queue_days} ${text.days}` })])));
    $("quote_samples").textContent = String(data.samples);
    $("quote_total").textContent = money(data.total_price);
    $("quote_date").textContent = data.completion_date || "—";
    $("quote_range").textContent = data.completion_range;
    $("quote_provisional").hidden = !data.completion_provisional;
    $("quote_days").textContent = String(data.working_days);
    const ready = data.lines.length > 0 && data.samples > 0;
    $("quote").hidden = !ready;
    $("submit_button").hidden = !ready;
  }, 200);

  renderChips();
  searchItems();
  changed();
})();
