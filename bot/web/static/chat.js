// Sends the student's (or an advisor's) message to the web app, never to Rasa directly, and shows the replies.
// Text is always inserted with textContent, so nothing a bot or student typed can run as HTML.
// The form's data attributes choose the endpoint, a payload sent on load (an advisor session's start), and labels.
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const box = document.getElementById("text");
  const typing = document.getElementById("typing");
  const status = document.getElementById("status");
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const endpoint = form.dataset.endpoint || "/api/messages";
  const youLabel = form.dataset.you || "You said: ";
  const signInPage = form.dataset.signIn || "/";

  function add(who, text, buttons) {
    const item = document.createElement("li");
    item.className = who;
    const label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = who === "bot" ? "ILP Advisor says: " : youLabel;
    const body = document.createElement("p");
    body.textContent = text;
    item.append(label, body);
    (buttons || []).forEach(function (button) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "choice";
      b.textContent = button.title;
      b.addEventListener("click", function () { send(button.payload, button.title); });
      item.append(b);
    });
    log.append(item);
    item.scrollIntoView({block: "end"});
  }

  // An advisor's session shows the plan beside the chat: the server renders it again (escaped) after each answer.
  async function refreshPlan() {
    if (!form.dataset.plan) { return; }
    const response = await fetch(form.dataset.plan).catch(function () { return null; });
    if (response && response.ok) { document.getElementById("plan-panel").innerHTML = await response.text(); }
  }

  let busy = false;

  async function send(payload, shown) {
    if (busy) { return false; }  // one message at a time: a double click must not answer twice
    busy = true;
    status.hidden = true;
    typing.hidden = false;
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": csrfToken},
        body: JSON.stringify({text: payload}),
      });
      const data = await response.json().catch(function () { return {}; });
      if (!response.ok) {
        if (response.status === 401) { window.location = signInPage; return false; }
        throw new Error(data.error || "Something went wrong. Your message is still in the box; try again.");
      }
      if (shown) { add("student", shown); }
      data.messages.forEach(function (m) { add("bot", m.text, m.buttons); });
      refreshPlan();
      if (data.notice) { status.textContent = data.notice; status.hidden = false; }
      return true;
    } catch (error) {
      status.textContent = error.message.startsWith("Failed to fetch")
        ? "You seem to be offline. Your message is still in the box; try again." : error.message;
      status.hidden = false;
      return false;
    } finally {
      typing.hidden = true;
      busy = false;
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const text = box.value.trim();
    if (!text) { return; }
    if (await send(text, text)) { box.value = ""; }
    box.focus();
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  if (form.dataset.start) { send(form.dataset.start, ""); }
  const resume = document.getElementById("resume");  // an advisor's Continue: the script's current step again
  if (resume) { resume.addEventListener("click", function () { send(resume.dataset.payload, ""); }); }
  // Send stays disabled until now: a click before this script ran would reload the page and lose the text.
  document.getElementById("send").disabled = false;
})();
