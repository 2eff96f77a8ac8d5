// Minimal chat over Rasa's REST channel. The accessible widget comes later.
(function () {
  "use strict";
  const config = window.CHAT_CONFIG;
  const list = document.getElementById("messages");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");

  function senderId() {
    let id = localStorage.getItem("chat-sender-id");
    if (!id) {
      id = "web-" + crypto.randomUUID();
      localStorage.setItem("chat-sender-id", id);
    }
    return id;
  }

  function add(text, who) {
    const item = document.createElement("li");
    item.className = who;
    item.textContent = text;
    list.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  function addButtons(buttons) {
    const item = document.createElement("li");
    item.className = "buttons";
    buttons.forEach(function (b) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", function () {
        item.remove();
        send(b.payload, b.title);
      });
      item.appendChild(button);
    });
    list.appendChild(item);
  }

  async function send(message, shown) {
    add(shown || message, "user");
    try {
      const response = await fetch(config.rasaUrl + "/webhooks/rest/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: senderId(), message: message }),
      });
      if (!response.ok) throw new Error(String(response.status));
      const replies = await response.json();
      replies.forEach(function (r) {
        if (r.text) add(r.text, "bot");
        if (r.buttons && r.buttons.length) addButtons(r.buttons);
      });
    } catch (error) {
      add("Beklager, assistenten svarer ikke lige nu. Prøv igen om lidt.", "bot");
    }
    input.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });

  document.getElementById("restart").addEventListener("click", function () {
    localStorage.removeItem("chat-sender-id");
    list.innerHTML = "";
    send("/greet", "Hej");
  });

  // A new visitor is greeted; a returning one continues where they left off.
  if (!localStorage.getItem("chat-sender-id")) send("/greet", "Hej");
})();
