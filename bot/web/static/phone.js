// The demo phone page (bot/web/phone.py): fetch the number's texts every few
// seconds and show them as text (never as HTML). The page works without it.
(function () {
  "use strict";
  var list = document.getElementById("beskeder");
  if (!list) return;
  var number = list.getAttribute("data-number") || "";
  var shown = list.querySelectorAll("li:not(.tom)").length;

  function item(text) {
    var li = document.createElement("li");
    li.className = text.direction === "in" ? "ind" : "ud";
    var who = document.createElement("span");
    who.className = "hvem";
    who.textContent = (text.direction === "in" ? "Dig" : "Kommunen") + ": ";
    var body = document.createElement("span");
    body.className = "tekst";
    body.textContent = text.text;
    li.appendChild(who);
    li.appendChild(body);
    return li;
  }

  function refresh() {
    fetch("/telefon/beskeder?nummer=" + encodeURIComponent(number))
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (texts) {
        if (texts.length <= shown) return;
        var empty = list.querySelector(".tom");
        if (empty) empty.remove();
        texts.slice(shown).forEach(function (text) { list.appendChild(item(text)); });
        shown = texts.length;
      })
      .catch(function () {});
  }
  setInterval(refresh, 2000);
})();
