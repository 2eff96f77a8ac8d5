/*
 * The municipality's chat widget. Embed with one tag:
 *   <script src="https://…/widget/widget.js" data-server-url="https://rasa.…"
 *           data-municipality="Eksempel Kommune" data-privacy-url="https://…/privatliv"
 *           data-color="#00594f" defer></script>
 * A site where the young person is logged in passes its short-lived signed
 * token with data-token="…" or window.KommuneChat.setToken(token); it goes
 * with every message and is checked by the server each time.
 * It talks to Rasa's socket.io channel with the official client, keeps the
 * conversation (session id, messages, unsent messages) in localStorage so a
 * reload or a second tab continues it, and sends what was typed offline when
 * the connection returns.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = script.src.replace(/widget\.js(\?.*)?$/, "");
  var config = {
    serverUrl: script.dataset.serverUrl || "http://localhost:5005",
    municipality: script.dataset.municipality || "Kommunen",
    privacyUrl: script.dataset.privacyUrl || "#",
    color: script.dataset.color || "#00594f",
    token: script.dataset.token || "",
  };
  window.KommuneChat = {
    setToken: function (token) { config.token = token || ""; },
  };
  var KEY = "kommune-chat:" + config.serverUrl;
  var TEXT = {
    open: "Chat med " + config.municipality,
    title: "Chat med " + config.municipality,
    close: "Luk chatten",
    restart: "Ny samtale",
    human: "Tal med en medarbejder",
    humanMessage: "Jeg vil gerne tale med en medarbejder",
    label: "Skriv din besked",
    send: "Send",
    typing: "Assistenten skriver …",
    offline: "Forbindelsen er afbrudt. Vi prøver igen. Det, du skriver, bliver sendt, når forbindelsen er tilbage.",
    online: "Forbindelsen er tilbage.",
    // The server refused a new conversation (too many from here just now).
    refused: "Der er startet mange samtaler herfra lige nu. Vent et minut, og prøv igen. Er du eller andre i fare, så ring 112.",
    pending: "Venter på forbindelse",
    notSent: "Ikke sendt. Prøv igen, når forbindelsen er tilbage.",
    privacyTitle: "Før du skriver",
    // The privacy notice itself comes from the server (the municipality file).
    privacy: "Samtalen gemmes hos kommunen. Skriv ikke dit CPR-nummer her.",
    privacyLink: "Læs mere om, hvordan kommunen behandler dine oplysninger",
    privacyOk: "OK, jeg har forstået",
    you: "Du skrev",
    bot: "Assistenten skrev",
    empty: "Skriv en besked først.",
    // The satisfaction question after a reached goal (the question itself comes from the server).
    scores: ["1 – meget utilfreds", "2 – utilfreds", "3 – hverken eller", "4 – tilfreds", "5 – meget tilfreds"],
    comment: "Kommentar (valgfri, højst 500 tegn). Skriv ikke navn eller CPR-nummer.",
    rateSend: "Send",
    rateSkip: "Spring over",
    rateChoose: "Vælg et tal fra 1 til 5, eller tryk Spring over.",
    rateThanks: "Tak for din vurdering.",
    rateSkipped: "Spørgsmålet er sprunget over.",
    rateUsed: "Spørgsmålet er allerede besvaret.",
    rateGone: "Spørgsmålet kan ikke besvares længere.",
    rateFailed: "Svaret blev ikke sendt. Prøv igen om lidt.",
  };

  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || {};
    } catch (e) {
      return {};
    }
  }
  var state = load();
  state.messages = state.messages || [];
  state.outbox = state.outbox || [];
  state.rated = state.rated || {}; // offer -> "saved" | "skipped" | "used" | "gone"
  var drafts = {}; // offer -> {score, comment}: what the form holds between renders
  function save() {
    localStorage.setItem(KEY, JSON.stringify(state));
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), attrs[name]);
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  // Markdown as DOM nodes, never HTML from text: paragraphs, "- " lists,
  // **bold**, [text](url) and bare links. Text goes in as text nodes; a link's
  // target is parsed as a URL and kept only for https:, http:, mailto: and
  // tel: (anything else stays plain text), and it opens with noopener.
  var SAFE_SCHEMES = ["https:", "http:", "mailto:", "tel:"];
  var INLINE = /\*\*([^*\n]+)\*\*|\[([^\]\n]+)\]\(([^\s)]+)\)|((?:https?:\/\/|mailto:|tel:)[^\s<>()]*[^\s<>().,!?;:'"])/g;
  function safeUrl(raw) {
    var url;
    try {
      url = new URL(raw);
    } catch (e) {
      return null;
    }
    return SAFE_SCHEMES.indexOf(url.protocol) >= 0 ? url.href : null;
  }
  function linkOrText(label, raw) {
    var href = safeUrl(raw);
    if (!href) return document.createTextNode(label === raw ? raw : "[" + label + "](" + raw + ")");
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: label });
  }
  function inline(parent, text) {
    var last = 0;
    var match;
    INLINE.lastIndex = 0;
    while ((match = INLINE.exec(text)) !== null) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[1] !== undefined) parent.appendChild(el("strong", { text: match[1] }));
      else if (match[2] !== undefined) parent.appendChild(linkOrText(match[2], match[3]));
      else parent.appendChild(linkOrText(match[4], match[4]));
      last = INLINE.lastIndex;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }
  function markdown(container, text) {
    var listNode = null;
    text.split("\n").forEach(function (line) {
      var item = line.match(/^\s*[-*•]\s+(.*)$/);
      if (item) {
        if (!listNode) {
          listNode = el("ul");
          container.appendChild(listNode);
        }
        var entry = el("li");
        inline(entry, item[1]);
        listNode.appendChild(entry);
      } else {
        listNode = null;
        if (line.trim()) {
          var paragraph = el("p");
          inline(paragraph, line);
          container.appendChild(paragraph);
        }
      }
    });
  }

  // The satisfaction question: {offer, question} from a custom payload, or null.
  function satisfactionOf(message) {
    var offer = message && message.satisfaction;
    if (!offer || typeof offer.offer !== "string" || typeof offer.question !== "string") return null;
    if (!offer.offer || offer.offer.length > 64) return null;
    return { offer: offer.offer, question: offer.question.slice(0, 300) };
  }

  // --- the widget's DOM ---------------------------------------------------
  var css = el("link", { rel: "stylesheet", href: base + "widget.css" });
  document.head.appendChild(css);

  var root = el("div", { id: "kommune-chat", class: "kc-root" });
  root.style.setProperty("--kc-color", config.color);
  var launcher = el("button", {
    type: "button", class: "kc-launcher", "aria-expanded": "false", "aria-controls": "kc-panel", text: TEXT.open,
  });
  // role=log on the wrapper, not the list: the <ol> keeps its list semantics.
  var list = el("ol", { class: "kc-list" });
  var log = el("div", { class: "kc-log", role: "log", "aria-live": "polite", "aria-label": "Beskeder" }, [list]);
  var status = el("p", { class: "kc-status", role: "status" });
  var input = el("textarea", { id: "kc-input", rows: "2", maxlength: "2000", autocomplete: "off" });
  var form = el("form", { class: "kc-composer" }, [
    el("label", { for: "kc-input", text: TEXT.label }),
    el("div", { class: "kc-row" }, [input, el("button", { type: "submit", class: "kc-send", text: TEXT.send })]),
  ]);
  var human = el("button", { type: "button", class: "kc-secondary", text: TEXT.human });
  var restart = el("button", { type: "button", class: "kc-secondary", text: TEXT.restart });
  var close = el("button", { type: "button", class: "kc-close", "aria-label": TEXT.close, text: "×" });
  var privacyText = el("p", { text: TEXT.privacy });
  var privacyLink = el("a", { href: config.privacyUrl, target: "_blank", rel: "noopener", text: TEXT.privacyLink });
  var privacy = el("div", { class: "kc-privacy", role: "region", "aria-labelledby": "kc-privacy-title" }, [
    el("h3", { id: "kc-privacy-title", text: TEXT.privacyTitle }),
    privacyText,
    el("p", {}, [privacyLink]),
    el("button", { type: "button", class: "kc-primary", text: TEXT.privacyOk, onclick: acceptPrivacy }),
  ]);
  var panel = el("section", { id: "kc-panel", class: "kc-panel", "aria-labelledby": "kc-title", hidden: "" }, [
    el("header", { class: "kc-header" }, [el("h2", { id: "kc-title", text: TEXT.title }), close]),
    privacy,
    log,
    status,
    form,
    el("div", { class: "kc-actions" }, [human, restart]),
  ]);
  root.appendChild(launcher);
  root.appendChild(panel);
  document.body.appendChild(root);

  // --- rendering ------------------------------------------------------------
  function renderMessage(message, index) {
    var item = el("li", { class: "kc-message kc-" + message.from });
    item.appendChild(el("span", { class: "kc-visually-hidden", text: message.from === "user" ? TEXT.you : TEXT.bot }));
    var body = el("div", { class: "kc-bubble" });
    if (message.satisfaction) body.appendChild(ratingForm(message.satisfaction, index));
    else if (message.from === "bot") markdown(body, message.text || "");
    else body.textContent = message.text;
    item.appendChild(body);
    if (message.pending) item.appendChild(el("span", { class: "kc-note", text: TEXT.pending }));
    if (message.failed) item.appendChild(el("span", { class: "kc-note", text: TEXT.notSent }));
    var buttons = message.buttons || [];
    if (buttons.length) {
      var group = el("div", { class: "kc-buttons", role: "group", "aria-label": "Svarmuligheder" });
      var answered = index < state.messages.length - 1;
      buttons.forEach(function (button) {
        var b = el("button", { type: "button", class: "kc-choice", text: button.title });
        if (answered) b.disabled = true;
        b.addEventListener("click", function () {
          send(button.payload, button.title);
          input.focus();
        });
        group.appendChild(b);
      });
      item.appendChild(group);
    }
    return item;
  }
  // A fieldset of five radio buttons, an optional comment, Send and Spring
  // over. Posted to the web app (bot/web/satisfaction.py); once answered,
  // skipped or refused as used, only a short text is left (also after a reload).
  function ratingForm(offer, index) {
    var done = state.rated[offer.offer];
    if (done) {
      var doneText = { saved: TEXT.rateThanks, skipped: TEXT.rateSkipped, used: TEXT.rateUsed }[done] || TEXT.rateGone;
      return el("p", { class: "kc-rating-done", text: doneText });
    }
    var draft = drafts[offer.offer] || (drafts[offer.offer] = { score: null, comment: "" });
    var id = "kc-rating-" + index;
    var error = el("p", { class: "kc-rating-error", id: id + "-error", role: "alert" });
    var choices = TEXT.scores.map(function (label, n) {
      var radio = el("input", { type: "radio", name: id, id: id + "-" + (n + 1), value: String(n + 1) });
      radio.checked = draft.score === n + 1;
      radio.addEventListener("change", function () { draft.score = n + 1; error.textContent = ""; });
      return el("div", { class: "kc-rating-choice" }, [radio, el("label", { for: id + "-" + (n + 1), text: label })]);
    });
    var comment = el("textarea", { id: id + "-comment", rows: "2", maxlength: "500" });
    comment.value = draft.comment;
    comment.addEventListener("input", function () { draft.comment = comment.value; });
    var formNode = el("form", { class: "kc-rating", novalidate: "" }, [
      el("fieldset", {}, [el("legend", { text: offer.question })].concat(choices)),
      el("label", { for: id + "-comment", text: TEXT.comment }),
      comment,
      error,
      el("div", { class: "kc-rating-buttons" }, [
        el("button", { type: "submit", class: "kc-primary", text: TEXT.rateSend }),
        el("button", { type: "button", class: "kc-secondary", text: TEXT.rateSkip,
                       onclick: function () { rate(offer.offer, { skip: true }, error); } }),
      ]),
    ]);
    formNode.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!draft.score) {
        error.textContent = TEXT.rateChoose;
        formNode.querySelector("input").focus();
        return;
      }
      rate(offer.offer, { score: draft.score, comment: draft.comment.slice(0, 500) }, error);
    });
    return formNode;
  }
  function rate(offer, answer, error) {
    var body = { nonce: offer };
    Object.keys(answer).forEach(function (key) { body[key] = answer[key]; });
    fetch(base + "tilfredshed", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    })
      .then(function (response) {
        var outcome = response.ok ? (answer.skip ? "skipped" : "saved")
          : response.status === 409 ? "used" : response.status === 404 ? "gone" : null;
        if (!outcome) {
          error.textContent = TEXT.rateFailed;
          return;
        }
        state.rated[offer] = outcome;
        delete drafts[offer];
        save();
        render();
        status.textContent = { saved: TEXT.rateThanks, skipped: TEXT.rateSkipped, used: TEXT.rateUsed }[outcome]
          || TEXT.rateGone;
        input.focus();
      })
      .catch(function () { error.textContent = TEXT.rateFailed; });
  }

  function render() {
    list.textContent = "";
    state.messages.forEach(function (message, index) { list.appendChild(renderMessage(message, index)); });
    log.scrollTop = log.scrollHeight;
    privacy.hidden = !!state.privacyAccepted;
  }

  var typingTimer = null;
  function typing(on) {
    clearTimeout(typingTimer);
    status.textContent = on ? TEXT.typing : "";
    status.classList.toggle("kc-typing", !!on);
    if (on) typingTimer = setTimeout(function () { typing(false); }, 15000);
  }

  // --- talking to Rasa --------------------------------------------------------
  var socket = null;
  var ready = false;
  function connect() {
    // forceNew: "Ny samtale" must not reuse the manager the old socket is still closing.
    socket = window.io(config.serverUrl, { transports: ["websocket", "polling"], reconnectionDelayMax: 5000,
                                           forceNew: true });
    socket.on("connect", function () {
      // The server issues the session (an id and its signature); only that
      // pair reconnects to the conversation (bot/channels/widget.py).
      socket.emit("session_request", { session_id: state.sessionId || null,
                                        session_token: state.sessionToken || null });
    });
    socket.on("session_confirm", function (data) {
      var id = data && data.session_id;
      if (id && (id !== state.sessionId || data.session_token !== state.sessionToken)) {
        state.sessionId = id;
        state.sessionToken = data.session_token;
        save();
      }
      if (state.wasOffline) {
        status.textContent = TEXT.online;
        state.wasOffline = false;
      }
      ready = true;
      flushOutbox();
      // What the conversation got while this page was closed or offline (a staff answer).
      socket.emit("history_request", { since: typeof state.syncedAt === "number" ? state.syncedAt : null });
    });
    socket.on("history", catchUp);
    // The server masked a CPR number in one of our messages: keep only the masked text,
    // in the conversation and in the outbox (a resend of the masked text is read the same).
    socket.on("user_masked", function (data) {
      var stored = load().messages || state.messages;
      stored.forEach(function (m) { if (m.id === data.message_id) m.text = data.text; });
      state.messages = stored;
      state.outbox.forEach(function (m) { if (m.id === data.message_id) m.payload = data.text; });
      save();
      render();
    });
    socket.on("session_refused", function () {
      status.textContent = TEXT.refused;
      setTimeout(function () {
        if (socket) socket.emit("session_request", { session_id: null, session_token: null });
      }, 60000);
    });
    socket.on("bot_uttered", function (message) {
      typing(false);
      // Every tab of this conversation gets the message; the first one stores it.
      var stored = load().messages || [];
      var key = JSON.stringify([message.text, message.quick_replies || message.buttons || [],
                                (satisfactionOf(message) || {}).offer || null]);
      var now = Date.now();
      var seen = stored.slice(-5).some(function (m) { return m.key === key && now - m.at < 3000; });
      if (seen) {
        state.messages = stored;
        render();
        return;
      }
      var offer = satisfactionOf(message);
      state.messages.push({
        key: key,
        at: now,
        unsynced: true, // got live: the next history answer has it too, and is matched against it
        from: "bot",
        text: offer ? offer.question : message.text || "",
        satisfaction: offer,
        buttons: (message.quick_replies || message.buttons || []).map(function (b) {
          return { title: b.title, payload: b.payload };
        }),
      });
      save();
      render();
    });
    socket.on("disconnect", function () {
      ready = false;
      sentOnThisSocket = {};
      state.wasOffline = true;
      typing(false);
      status.textContent = TEXT.offline;
    });
    socket.on("connect_error", function () {
      if (!state.wasOffline) {
        state.wasOffline = true;
        status.textContent = TEXT.offline;
      }
    });
  }

  // The server's messages since the last sync, oldest first. The ones this
  // widget got live since then (marked unsynced) are among them, in the same
  // order: each server message is matched to the next live one with its text
  // (skipping a live one the server did not send, which was before the last
  // sync), and the rest are added, each once.
  function catchUp(data) {
    if (!data || typeof data.until !== "number") return;
    var fresh = load();
    state.messages = fresh.messages || state.messages;
    var live = state.messages.filter(function (m) { return m.unsynced; });
    var next = 0;
    var now = Date.now();
    (data.messages || []).forEach(function (message) {
      var offer = satisfactionOf(message);
      var text = offer ? offer.question : message.text || "";
      for (var i = next; i < live.length; i++) {
        if (live[i].text === text) {
          next = i + 1;
          return;
        }
      }
      var buttons = (message.buttons || []).map(function (b) { return { title: b.title, payload: b.payload }; });
      state.messages.push({ key: JSON.stringify([text, buttons]), at: now, from: "bot", text: text, buttons: buttons,
                            satisfaction: offer });
    });
    // A first sync only learns the time: what came live before it is settled.
    var settled = typeof state.syncedAt === "number" ? next : live.length;
    live.slice(0, settled).forEach(function (m) { delete m.unsynced; });
    state.syncedAt = data.until;
    save();
    render();
  }

  // A message stays in the outbox until the server acknowledges it (its turn
  // is over). One still unacknowledged when the socket dropped (its server
  // died mid-turn) is sent again, with the same id, once the socket is back;
  // the server does not handle a message twice (bot/rasa_server/resend.py).
  var sentOnThisSocket = {};
  function flushOutbox() {
    if (!ready) return;
    state.outbox.forEach(function (next) {
      if (sentOnThisSocket[next.id]) return;
      sentOnThisSocket[next.id] = true;
      socket.emit("user_uttered", { message: next.payload, session_id: state.sessionId, message_id: next.id,
                                    metadata: config.token ? { token: config.token } : {} }, function () {
        state.outbox = state.outbox.filter(function (m) { return m.id !== next.id; });
        save();
      });
      state.messages.forEach(function (m) { if (m.id === next.id) delete m.pending; });
      typing(true);
    });
    save();
    render();
  }

  function messageId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function send(payload, shown) {
    var id = messageId();
    state.messages.push({ from: "user", text: shown, id: id, pending: true });
    state.outbox.push({ id: id, payload: payload });
    save();
    render();
    flushOutbox();
  }

  // --- user actions -------------------------------------------------------------
  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    render();
    if (!socket) connect();
    (state.privacyAccepted ? input : privacy.querySelector("button")).focus();
  }
  function hide() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }
  function acceptPrivacy() {
    state.privacyAccepted = new Date().toISOString();
    save();
    render();
    input.focus();
  }

  launcher.addEventListener("click", function () { panel.hidden ? open() : hide(); });
  close.addEventListener("click", hide);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      status.textContent = TEXT.empty;
      input.focus();
      return;
    }
    input.value = "";
    send(text, text);
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  human.addEventListener("click", function () {
    send("/request_human", TEXT.humanMessage);
    input.focus();
  });
  restart.addEventListener("click", function () {
    state = { messages: [], outbox: [], rated: {}, privacyAccepted: state.privacyAccepted };
    save();
    if (socket) {
      socket.off();
      socket.disconnect();
      socket = null;
    }
    status.textContent = "";
    render();
    connect();
    input.focus();
  });
  // Another tab of the same site wrote to the conversation: show it here too.
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY) return;
    var fresh = load();
    state.messages = fresh.messages || [];
    state.sessionId = fresh.sessionId;
    state.sessionToken = fresh.sessionToken;
    state.syncedAt = fresh.syncedAt;
    state.rated = fresh.rated || {};
    render();
  });

  fetch(base + "config.json")
    .then(function (response) { return response.json(); })
    .then(function (server) {
      privacyText.textContent = server.privacy_notice || TEXT.privacy;
      if (!script.dataset.privacyUrl && server.privacy_url) privacyLink.href = server.privacy_url;
    })
    .catch(function () { /* keep the short built-in notice */ });

  var loader = el("script", { src: base + "socket.io.min.js" });
  loader.addEventListener("load", function () {
    if (state.open) open();
  });
  document.head.appendChild(loader);
  window.addEventListener("beforeunload", function () {
    state.open = !panel.hidden;
    save();
  });
  render();
})();
