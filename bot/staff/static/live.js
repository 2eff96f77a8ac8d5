/*
 * The staff app, live (bot/staff/live.py): the page listens to its event
 * stream (data-live-url on <body>) and
 * - puts the queue's table or the conversation's transcript and case status
 *   in place when they change (the rest of the page, and what staff are
 *   typing, stays as it is),
 * - on a new critical case of the team fills the role="alert" region, plays
 *   a short sound and shows a browser notification when staff allowed them.
 * Without JavaScript the pages work as before (links to refresh them).
 */
(function () {
  "use strict";

  var url = document.body.dataset.liveUrl;
  if (!url || !window.EventSource) return;
  var alertRegion = document.getElementById("live-alert");
  var notifyButton = document.getElementById("live-notify");

  function replaceRegion(name, html) {
    var region = document.querySelector('[data-live-region="' + name + '"]');
    if (!region) return;
    // Staff working inside the region (a tag form) keep their place: the next change brings it.
    if (region.contains(document.activeElement) && document.activeElement !== document.body) return;
    region.innerHTML = html; // rendered and escaped by the server's templates
  }

  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      var audio = new Context();
      var tone = audio.createOscillator();
      var volume = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = 880;
      volume.gain.setValueAtTime(0.2, audio.currentTime);
      volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
      tone.connect(volume);
      volume.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.6);
      document.body.dataset.liveSound = String(Number(document.body.dataset.liveSound || 0) + 1);
    } catch (e) {
      /* no sound: the alert region and the notification still tell */
    }
  }

  function notify(data) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    // No names or words of the citizen: the notification may show on a shared screen.
    var note = new Notification("Ny kritisk sag", { body: data.reason + ". Åbn personaleappen.", tag: "case-" + data.id });
    note.onclick = function () {
      window.focus();
      window.location.href = data.href;
    };
  }

  function showAlert(data) {
    if (!alertRegion) return;
    alertRegion.textContent = "";
    alertRegion.appendChild(document.createTextNode("Ny kritisk sag: " + data.reason + ". "));
    var link = document.createElement("a");
    link.href = data.href;
    link.textContent = "Åbn samtalen";
    alertRegion.appendChild(link);
  }

  if (notifyButton && "Notification" in window && Notification.permission === "default") {
    notifyButton.hidden = false;
    notifyButton.addEventListener("click", function () {
      Notification.requestPermission().then(function () { notifyButton.hidden = true; });
    });
  }

  var source = new EventSource(url);
  source.addEventListener("queue", function (message) {
    replaceRegion("queue", JSON.parse(message.data).html);
  });
  source.addEventListener("conversation", function (message) {
    var data = JSON.parse(message.data);
    replaceRegion("transcript", data.transcript);
    Object.keys(data.cases).forEach(function (id) {
      var line = document.querySelector('[data-case-status="' + id + '"]');
      if (line) line.innerHTML = data.cases[id];
    });
  });
  source.addEventListener("alert", function (message) {
    var data = JSON.parse(message.data);
    showAlert(data);
    beep();
    notify(data);
  });
  source.addEventListener("signed_out", function () {
    source.close();
    window.location.href = "/login";
  });
})();
