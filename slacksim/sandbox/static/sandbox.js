// The sandbox page: shows what the fake Slack holds for each person, and tells the sandbox
// server what a person did ("who clicked what, where"). The server builds and signs the
// Slack payloads; this file never talks to the app directly. No build step, no libraries.
(() => {
  "use strict";

  const POLL_MS = 500;
  const WORDS = JSON.parse(document.getElementById("sandbox-words").textContent);
  const LANGS = JSON.parse(document.getElementById("sandbox-langs").textContent);

  // The page's own words, in `lang` (a pane's person's language, or the page's).
  function say(key, params, lang) {
    const words = WORDS[lang || document.documentElement.dataset.lang] || WORDS.en;
    return (words[key] || WORDS.en[key]).replace(/\{(\w+)\}/g, (_m, name) => String(params?.[name] ?? ""));
  }
  function paneLang(pane) {
    return pane.dataset.lang || document.documentElement.dataset.lang;
  }
  const panes = Array.from(document.querySelectorAll("[data-pane]"));
  const memory = new Map(); // pane element -> what it last drew

  function remember(pane) {
    if (!memory.has(pane)) {
      memory.set(pane, {
        sigs: {}, seen: 0, viewId: null, returnFocus: null, returnKey: null, focusError: false,
        covered: new Map(), // view id -> what was typed in it, while a pushed modal covers it
      });
    }
    return memory.get(pane);
  }

  // -- talking to the sandbox server -------------------------------------------------------------
  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      // The custom header makes this a call no page on another site can make (see guard.py).
      headers: { "Content-Type": "application/json", "X-Sandbox-Page": "1" },
      body: JSON.stringify(body),
    });
    try {
      return await response.json();
    } catch (_error) {
      return { ok: false, notice: say("no_answer", { status: response.status }) };
    }
  }

  function act(pane, body) {
    body.user = pane.dataset.user;
    return post("/sandbox/act", body).then((result) => {
      if (result.notice) notify(pane, result.notice);
      refreshSoon();
      return result;
    });
  }

  function notify(pane, text) {
    const box = pane.querySelector("[data-notice]");
    box.textContent = "";
    // A fresh text node, so screen readers announce a repeat of the same notice too.
    window.setTimeout(() => { box.textContent = text; }, 30);
  }

  // -- reading and writing form values -----------------------------------------------------------
  function readValue(el) {
    if (el.classList.contains("bk-choices")) {
      const inputs = Array.from(el.querySelectorAll("input"));
      if (inputs.length && inputs[0].type === "checkbox") {
        return inputs.filter((i) => i.checked).map((i) => i.value);
      }
      const checked = inputs.find((i) => i.checked);
      return checked ? checked.value : null;
    }
    if (el.tagName === "SELECT" && el.multiple) {
      return Array.from(el.selectedOptions).map((o) => o.value);
    }
    return el.value === "" ? null : el.value;
  }

  function writeValue(el, value) {
    if (el.classList.contains("bk-choices")) {
      const wanted = Array.isArray(value) ? value : [value];
      el.querySelectorAll("input").forEach((i) => { i.checked = wanted.includes(i.value); });
    } else if (el.tagName === "SELECT" && el.multiple) {
      Array.from(el.options).forEach((o) => { o.selected = (value || []).includes(o.value); });
    } else {
      el.value = value === null ? "" : value;
    }
  }

  function isEmpty(value) {
    return value === null || value === "" || (Array.isArray(value) && value.length === 0);
  }

  function fieldKey(el) {
    const block = el.closest("[data-block-id]");
    return (block ? block.dataset.blockId : "") + "|" + (el.dataset.actionId || "");
  }

  function collectValues(surface) {
    return Array.from(surface.querySelectorAll("[data-stateful]")).map((el) => ({
      b: el.dataset.b, e: el.dataset.e, value: readValue(el),
    }));
  }

  // -- drawing -----------------------------------------------------------------------------------
  function focusKey(container) {
    const active = document.activeElement;
    if (!active || !container.contains(active)) return null;
    const owner = active.dataset.b !== undefined ? active : active.closest("[data-stateful]");
    const surface = active.closest("[data-surface]");
    const block = owner ? owner.closest("[data-block-id]") : null;
    const named = owner && block && block.dataset.blockId && owner.dataset.actionId;
    return {
      ts: surface ? surface.dataset.ts : null,
      b: owner ? owner.dataset.b : null,
      e: owner ? owner.dataset.e : null,
      // Block and action ids name an element across redraws; its position (b, e, and the ids
      // made of them) moves when the app inserts a block above it.
      field: named ? fieldKey(owner) : null,
      choice: owner && owner !== active && active.matches("input") ? active.value : null,
      option: active.dataset.option || null,
      id: active.id || null,
    };
  }

  function byField(container, key) {
    const scope = key.ts ? container.querySelector('[data-ts="' + key.ts + '"]') : container;
    if (!scope || !key.field) return null;
    const owner = Array.from(scope.querySelectorAll("[data-action-id]")).find(
      (el) => fieldKey(el) === key.field && (!key.option || el.dataset.option === key.option));
    if (!owner || key.choice === null) return owner || null;
    return Array.from(owner.querySelectorAll("input")).find((i) => i.value === key.choice) || owner;
  }

  function restoreFocus(container, key) {
    if (!key) return;
    let target = byField(container, key);
    if (!target && key.id) target = document.getElementById(key.id);
    if (!target && key.b !== null) {
      const scope = key.ts ? container.querySelector('[data-ts="' + key.ts + '"]') : container;
      if (scope) {
        const selector = '[data-b="' + key.b + '"][data-e="' + key.e + '"]' +
          (key.option ? '[data-option="' + key.option + '"]' : "");
        target = scope.querySelector(selector);
      }
    }
    if (target && container.contains(target)) target.focus();
  }

  function replace(container, html) {
    const key = focusKey(container);
    const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
    // An open canvas stays open when the messages around it change.
    const open = Array.from(container.querySelectorAll("details[id][open]"), (d) => d.id);
    container.innerHTML = html;
    open.forEach((id) => { const d = document.getElementById(id); if (d) d.open = true; });
    restoreFocus(container, key);
    return atBottom;
  }

  function focusables(root) {
    return Array.from(root.querySelectorAll(
      'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'
    )).filter((el) => !el.closest("[hidden]") && el.offsetParent !== null);
  }

  function drawModal(pane, modal) {
    const mem = remember(pane);
    const layer = pane.querySelector('[data-part="modal"]');
    const content = pane.querySelector(".pane-content");
    if (!modal) {
      mem.covered.clear();
      if (mem.viewId !== null) {
        layer.innerHTML = "";
        content.inert = false;
        mem.viewId = null;
        // Focus goes back where it was when the modal opened: the same element, or the one
        // drawn in its place since (a message updated meanwhile), or else the message box.
        const back = mem.returnFocus;
        const backKey = mem.returnKey;
        mem.returnFocus = null;
        mem.returnKey = null;
        if (back && document.contains(back) && back.offsetParent !== null) back.focus();
        else restoreFocus(content, backKey);
        if (!content.contains(document.activeElement) || document.activeElement.offsetParent === null) {
          pane.querySelector("[data-composer] input").focus();
        }
      }
      return;
    }
    if (mem.viewId === null) {
      const active = document.activeElement;
      mem.returnFocus = active && pane.contains(active) ? active : null;
      mem.returnKey = focusKey(content);
    }
    const sameView = mem.viewId === modal.view_id;
    const typed = new Map();
    layer.querySelectorAll("[data-stateful]").forEach((el) => typed.set(fieldKey(el), readValue(el)));
    // Like Slack, a modal under a pushed one keeps what was typed in it, for when it is back on top.
    if (!sameView && mem.viewId !== null && modal.stack.includes(mem.viewId)) {
      mem.covered.set(mem.viewId, typed);
    }
    Array.from(mem.covered.keys()).forEach((id) => {
      if (!modal.stack.includes(id)) mem.covered.delete(id);
    });
    let kept = sameView ? typed : new Map();
    if (!sameView && mem.covered.has(modal.view_id)) {
      kept = mem.covered.get(modal.view_id);
      mem.covered.delete(modal.view_id);
    }
    const key = sameView ? focusKey(layer) : null;
    layer.innerHTML = modal.html;
    content.inert = true;
    mem.viewId = modal.view_id;
    // Like Slack: what a person typed survives an update when block and action ids stay the same.
    layer.querySelectorAll("[data-stateful]").forEach((el) => {
      if (kept.has(fieldKey(el))) writeValue(el, kept.get(fieldKey(el)));
    });
    if (mem.focusError) {
      mem.focusError = false;
      const invalid = layer.querySelector(".bk-invalid [data-stateful], .bk-invalid input");
      if (invalid) { invalid.focus(); return; }
    }
    if (sameView && key) {
      restoreFocus(layer, key);
      if (layer.contains(document.activeElement)) return;
    }
    const modalEl = layer.querySelector(".modal");
    const first = layer.querySelector("[data-autofocus]") ||
      focusables(modalEl.querySelector(".modal-body"))[0] || focusables(modalEl)[0];
    if (first) first.focus();
  }

  function drawPane(pane, view) {
    if (!view) return;
    const mem = remember(pane);
    const home = pane.querySelector('[data-part="home"]');
    const messages = pane.querySelector('[data-part="messages"]');
    if (mem.sigs.home !== view.home.sig) {
      replace(home, view.home.html);
      mem.sigs.home = view.home.sig;
    }
    if (mem.sigs.messages !== view.messages.sig) {
      const atBottom = replace(messages, view.messages.html);
      mem.sigs.messages = view.messages.sig;
      if (atBottom || mem.sigs.messagesFirst === undefined) messages.scrollTop = messages.scrollHeight;
      mem.sigs.messagesFirst = true;
    }
    const messagesShown = !messages.hidden;
    if (messagesShown) mem.seen = view.messages.count;
    pane.querySelector("[data-unread]").hidden = messagesShown || view.messages.count <= mem.seen;
    const modalSig = view.modal ? view.modal.sig : null;
    if (mem.sigs.modal !== modalSig) {
      drawModal(pane, view.modal);
      mem.sigs.modal = modalSig;
    }
  }

  function drawClock(clock) {
    document.querySelectorAll("[data-clock-person]").forEach((el) => {
      el.textContent = clock.people[el.dataset.clockPerson].time;
    });
    panes.forEach((pane) => {
      const info = clock.people[pane.dataset.user];
      pane.querySelector("[data-pane-time]").textContent = info ? info.time + ", " + info.zone : "";
    });
    const next = document.querySelector("[data-next]");
    const skip = document.getElementById("skip");
    if (clock.next) {
      const when = panes.map((pane) => {
        const name = pane.querySelector("[data-who]").selectedOptions[0].dataset.name;
        return say("for_person", { time: clock.next.people[pane.dataset.user], name: name.split(" ")[0] });
      }).join(", ");
      next.textContent = say(clock.next.overdue ? "next_overdue" : "next", { what: clock.next.what, when: when });
      skip.disabled = false;
    } else {
      next.textContent = say("nothing_next");
      skip.disabled = true;
    }
  }

  function drawUnknown() {
    const kinds = new Set();
    document.querySelectorAll("[data-unknown]").forEach((el) => kinds.add(el.dataset.unknown));
    const banner = document.getElementById("unknown-banner");
    if (!kinds.size) { banner.hidden = true; return; }
    banner.hidden = false;
    banner.textContent = say("unknown", {
      kinds: Array.from(kinds).map((k) => k.replace(":", " ")).join(", "),
    });
  }

  // -- polling -----------------------------------------------------------------------------------
  let inflight = false;
  let again = false;
  let timer = null;

  async function refresh() {
    if (inflight) { again = true; return; }
    inflight = true;
    try {
      const query = panes.map((p) => "user=" + encodeURIComponent(p.dataset.user)).join("&");
      const response = await fetch("/sandbox/state?" + query, { cache: "no-store" });
      const data = await response.json();
      drawClock(data.clock);
      panes.forEach((pane) => drawPane(pane, data.people[pane.dataset.user]));
      drawUnknown();
      document.body.dataset.ready = "1";
    } catch (_error) {
      document.getElementById("global-status").textContent = say("lost");
    } finally {
      inflight = false;
      if (again) { again = false; refresh(); }
    }
  }

  function refreshSoon() {
    refresh();
    window.setTimeout(refresh, 150);
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => { refresh().finally(schedule); }, document.hidden ? 3000 : POLL_MS);
  }

  // -- a confirm dialog, for buttons that carry `confirm` ----------------------------------------
  function confirmFirst(templateId) {
    const template = document.getElementById(templateId);
    if (!template) return Promise.resolve(true);
    const dialog = document.getElementById("confirm");
    const content = template.content;
    dialog.querySelector(".confirm-title").innerHTML = content.querySelector(".confirm-title").innerHTML;
    dialog.querySelector(".confirm-text").innerHTML = content.querySelector(".confirm-text").innerHTML;
    dialog.querySelector("[data-deny]").textContent = template.dataset.denyLabel;
    const yes = dialog.querySelector("[data-confirm-button]");
    yes.textContent = template.dataset.confirmLabel;
    yes.className = "bk-button " + (template.dataset.style === "danger" ? "bk-danger" : "bk-primary");
    dialog.returnValue = "";
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), { once: true });
      dialog.showModal();
      yes.focus();
    });
  }

  // -- what people do ----------------------------------------------------------------------------
  async function fire(pane, el, value) {
    const surface = el.closest("[data-surface]");
    if (!surface) return;
    if (el.dataset.confirm && !(await confirmFirst(el.dataset.confirm))) return;
    if (el.dataset.url) window.open(el.dataset.url, "_blank", "noopener");
    await act(pane, {
      kind: "action",
      surface: surface.dataset.surface,
      view_id: surface.dataset.viewId || null,
      ts: surface.dataset.ts || null,
      b: el.dataset.b,
      e: el.dataset.e,
      value: value,
      values: collectValues(surface),
    });
  }

  function showFieldError(input, message) {
    const error = input.querySelector(".bk-error");
    error.textContent = message;
    error.hidden = false;
    input.classList.add("bk-invalid");
  }

  // Slack checks required fields and lengths itself, before the app hears of the submission.
  function checkFields(modal) {
    let firstBad = null;
    modal.querySelectorAll(".bk-input").forEach((input) => {
      const field = input.querySelector("[data-stateful]");
      if (!field) return;
      const value = readValue(field);
      const min = parseInt(field.dataset.minLength || "0", 10);
      let message = null;
      if (input.dataset.optional !== "1" && isEmpty(value)) {
        message = say("required", {}, paneLang(modal.closest("[data-pane]")));
      } else if (min && typeof value === "string" && value.length < min) {
        message = say("min_length", { count: min }, paneLang(modal.closest("[data-pane]")));
      }
      if (message) {
        showFieldError(input, message);
        field.setAttribute("aria-invalid", "true");
        firstBad = firstBad || field;
      }
    });
    if (firstBad) firstBad.focus();
    return firstBad === null;
  }

  async function submitModal(pane, form) {
    const modal = form.closest(".modal");
    if (!checkFields(modal)) return;
    const button = form.querySelector("[data-submit]");
    if (button) button.disabled = true;
    const result = await act(pane, {
      kind: "submit", view_id: modal.dataset.viewId, values: collectValues(modal),
    });
    if (button) button.disabled = false;
    if (result.errors) remember(pane).focusError = true;
    if (result.notice && modal.isConnected) {
      let box = modal.querySelector(".modal-notice");
      if (!box) {
        box = document.createElement("p");
        box.className = "modal-notice";
        box.setAttribute("role", "alert");
        modal.querySelector(".modal-body").prepend(box);
      }
      box.textContent = result.notice;
    }
  }

  function closeMenus(except) {
    document.querySelectorAll(".bk-menu:not([hidden])").forEach((menu) => {
      if (menu === except) return;
      menu.hidden = true;
      const toggle = menu.parentElement.querySelector(".bk-overflow-toggle");
      if (toggle) toggle.setAttribute("aria-expanded", "false");
    });
  }

  function selectTab(pane, name, { focus = false } = {}) {
    pane.querySelectorAll('[role="tab"]').forEach((tab) => {
      const on = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      if (on && focus) tab.focus();
    });
    pane.querySelector('[data-part="home"]').hidden = name !== "home";
    const messages = pane.querySelector('[data-part="messages"]');
    messages.hidden = name !== "messages";
    if (name === "messages") {
      messages.scrollTop = messages.scrollHeight;
      pane.querySelector("[data-unread]").hidden = true;
    }
    // Slack tells the app each time someone opens its Home tab.
    if (name === "home") act(pane, { kind: "open_home" });
  }

  // The page again, with the same people in the same panes (its words follow their languages).
  // A language chosen while the page is already on its way to being drawn again (a person just
  // switched) would be lost with the old page: it is kept here, and the new page applies it.
  const PENDING_LANGUAGE = "secondchance-sandbox-language";
  let navigating = false;

  function reloadWith() {
    navigating = true;
    const users = panes.map((p) => p.dataset.user);
    window.location.assign("/?left=" + encodeURIComponent(users[0]) + "&right=" + encodeURIComponent(users[1]));
  }

  function setPerson(pane, userId) {
    const other = panes.find((p) => p !== pane && p.dataset.user === userId);
    if (other) {
      // One person per pane: the other pane takes whoever this one showed.
      const previous = pane.dataset.user;
      other.dataset.user = previous;
      other.querySelector("[data-who]").value = previous;
      resetPane(other);
    }
    pane.dataset.user = userId;
    if (panes.some((p) => p.dataset.lang !== LANGS[p.dataset.user])) { reloadWith(); return; }
    resetPane(pane);
  }

  function resetPane(pane) {
    memory.delete(pane);
    pane.querySelector('[data-part="modal"]').innerHTML = "";
    pane.querySelector(".pane-content").inert = false;
    pane.querySelector('[data-part="home"]').innerHTML = "";
    pane.querySelector('[data-part="messages"]').innerHTML = "";
    const name = pane.querySelector("[data-who]").selectedOptions[0].dataset.name;
    pane.querySelector("[data-who-name]").textContent = name;
    pane.querySelector("[data-composer-label]").textContent = say("composer", { name: name }, paneLang(pane));
    const homeTab = pane.querySelector('[data-tab="home"]');
    if (homeTab.getAttribute("aria-selected") === "true") act(pane, { kind: "open_home" });
    refreshSoon();
  }

  function wire(pane) {
    pane.addEventListener("click", (event) => {
      const toggle = event.target.closest(".bk-overflow-toggle");
      if (toggle) {
        const menu = document.getElementById(toggle.getAttribute("aria-controls"));
        const open = menu.hidden;
        closeMenus(menu);
        menu.hidden = !open;
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        if (open) { const first = menu.querySelector("button"); if (first) first.focus(); }
        return;
      }
      const tab = event.target.closest('[role="tab"]');
      if (tab) { selectTab(pane, tab.dataset.tab); return; }
      const close = event.target.closest("[data-close]");
      if (close) {
        const modal = close.closest(".modal");
        act(pane, { kind: "close", view_id: modal.dataset.viewId, all: close.dataset.close === "all" });
        return;
      }
      const item = event.target.closest(".bk-menu-item");
      if (item) { closeMenus(null); fire(pane, item, item.dataset.option); return; }
      const shortcut = event.target.closest("button[data-message-shortcut]");
      if (shortcut) {
        shortcut.closest("details").open = false;
        act(pane, { kind: "message_shortcut", ts: shortcut.dataset.messageShortcut });
        return;
      }
      const button = event.target.closest("button[data-fires]");
      if (button) fire(pane, button, null);
    });
    pane.addEventListener("change", async (event) => {
      if (event.target.matches("[data-who]")) { setPerson(pane, event.target.value); return; }
      if (event.target.matches("[data-lang-select]")) {
        // Like changing one's language in Slack: the page is drawn again in it.
        const choice = { kind: "language", user: pane.dataset.user, language: event.target.value };
        if (navigating) {
          window.sessionStorage.setItem(PENDING_LANGUAGE, JSON.stringify(choice));
          return;
        }
        await post("/sandbox/act", choice);
        reloadWith();
        return;
      }
      const field = event.target.closest("[data-stateful]");
      if (!field) return;
      const input = field.closest(".bk-input");
      if (input && input.classList.contains("bk-invalid")) {
        input.classList.remove("bk-invalid");
        input.querySelector(".bk-error").hidden = true;
        field.removeAttribute("aria-invalid");
      }
      const isText = field.tagName === "TEXTAREA" || ["text", "number", "email", "url"].includes(field.type);
      if (field.dataset.fires && !isText) fire(pane, field, readValue(field));
    });
    pane.addEventListener("keydown", (event) => {
      const field = event.target;
      if (event.key === "Enter" && field.dataset && field.dataset.fires && field.tagName === "INPUT" &&
          ["text", "number", "email", "url"].includes(field.type)) {
        event.preventDefault();
        fire(pane, field, readValue(field));
        return;
      }
      const tab = field.closest && field.closest('[role="tab"]');
      if (tab && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
        const next = tab.dataset.tab === "home" ? "messages" : "home";
        selectTab(pane, next, { focus: true });
        event.preventDefault();
      } else if (tab && (event.key === "Home" || event.key === "End")) {
        selectTab(pane, event.key === "Home" ? "home" : "messages", { focus: true });
        event.preventDefault();
      }
      // A menu's items: the arrow keys move between them, as in any menu.
      const menu = field.closest && field.closest('[role="menu"]');
      if (menu && ["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) {
        const items = Array.from(menu.querySelectorAll('[role="menuitem"]'));
        const at = items.indexOf(field);
        const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[event.key];
        items[(to + items.length) % items.length].focus();
        event.preventDefault();
      }
    });
    pane.addEventListener("submit", (event) => {
      event.preventDefault();
      const form = event.target;
      if (form.matches("[data-composer]")) {
        const input = form.querySelector("input");
        const text = input.value;
        if (!text.trim()) return;
        act(pane, { kind: "command", text: text }).then((result) => {
          if (result.ok) input.value = "";
        });
        selectTab(pane, "messages");
      } else if (form.matches(".modal-form")) {
        submitModal(pane, form);
      }
    });
  }

  // Keyboard: Tab stays inside an open modal; Escape closes a menu, or the top modal.
  document.addEventListener("keydown", (event) => {
    const modal = document.activeElement && document.activeElement.closest(".modal");
    if (event.key === "Escape") {
      const openMenu = document.querySelector(".bk-menu:not([hidden])");
      if (openMenu) {
        closeMenus(null);
        const toggle = openMenu.parentElement.querySelector(".bk-overflow-toggle");
        if (toggle) toggle.focus();
        event.preventDefault();
        return;
      }
      if (modal && !document.getElementById("confirm").open) {
        modal.querySelector('[data-close="top"]').click();
        event.preventDefault();
      }
      return;
    }
    if (event.key !== "Tab" || !modal) return;
    const items = focusables(modal);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
    else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".bk-overflow")) closeMenus(null);
  });

  document.getElementById("skip").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    const status = document.getElementById("global-status");
    button.disabled = true;
    status.textContent = say("skipping");
    const result = await post("/sandbox/skip", {});
    status.textContent = result.notice || "";
    button.disabled = false;
    refreshSoon();
  });

  async function applyPendingLanguage() {
    const pending = window.sessionStorage.getItem(PENDING_LANGUAGE);
    if (!pending) return false;
    window.sessionStorage.removeItem(PENDING_LANGUAGE);
    await post("/sandbox/act", JSON.parse(pending));
    reloadWith();
    return true;
  }

  applyPendingLanguage().then((reloading) => {
    if (reloading) return;
    panes.forEach((pane) => {
      wire(pane);
      resetPane(pane);
    });
    schedule();
  });
})();
