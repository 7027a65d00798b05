// Sends the student's (or an advisor's) message to the web app, never to Rasa directly, and shows the replies.
// Text is always inserted with textContent, so nothing a bot or student typed can run as HTML.
// The form's data attributes choose the endpoint, a payload sent on load (an advisor session's start), and labels.
//
// For keyboards and screen readers: the conversation is not a live region (what the student typed is not read
// back to them); the bot's replies are read from #announcer, or, after a reply button, focus moves to the first
// new reply. The typing line and the error line stay in the page and only change their text. The message box is
// sticky at the bottom of the window: the page's scroll padding (set here from the box's height) keeps the newest
// reply and a focused control above it.
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const box = document.getElementById("text");
  const typing = document.getElementById("typing");
  const announcer = document.getElementById("announcer");
  const status = document.getElementById("status");
  const planPanel = document.getElementById("plan-panel");
  const planStatus = document.getElementById("plan-status");
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const endpoint = form.dataset.endpoint || "/api/messages";
  const youLabel = form.dataset.you || "You said: ";
  const signInPage = form.dataset.signIn || "/";
  const botLabel = "ILP Advisor says: ";

  // Scroll padding the size of the message box (and a little air): scrollIntoView and Tab stop above it.
  function reserveRoomForTheBox() {
    document.documentElement.style.setProperty("--composer-space", (form.offsetHeight + 16) + "px");
  }
  reserveRoomForTheBox();
  if (window.ResizeObserver) { new ResizeObserver(reserveRoomForTheBox).observe(form); }

  function coveredByTheBox(element) {
    const rect = element.getBoundingClientRect();
    const boxRect = form.getBoundingClientRect();
    return rect.bottom > boxRect.top && rect.top < boxRect.bottom;
  }

  // A control focused under the box (by a script, or a browser that ignores scroll padding) is scrolled above it.
  document.addEventListener("focusin", function (event) {
    if (!form.contains(event.target) && coveredByTheBox(event.target)) {
      event.target.scrollIntoView({block: "nearest"});
    }
  });

  function add(who, text, buttons) {
    const item = document.createElement("li");
    item.className = who;
    const label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = who === "bot" ? botLabel : youLabel;
    const body = document.createElement("p");
    body.textContent = text;
    item.append(label, body);
    (buttons || []).forEach(function (button) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "choice";
      b.textContent = button.title;
      b.addEventListener("click", function () { send(button.payload, button.title, true); });
      item.append(b);
    });
    log.append(item);
    return item;
  }

  // The newest reply ends above the message box; the first new one is not scrolled off the top.
  function reveal(first, last) {
    last.scrollIntoView({block: "end"});
    if (first.getBoundingClientRect().top < 0) { first.scrollIntoView({block: "start"}); }
  }

  // An advisor's session shows the plan beside the chat: the server renders it again (escaped) after each answer.
  // It is not a live region (the whole plan would be read out); a short status says when it changed.
  async function refreshPlan() {
    if (!form.dataset.plan || !planPanel) { return; }
    const response = await fetch(form.dataset.plan).catch(function () { return null; });
    if (!response || !response.ok) { return; }
    const fresh = document.createElement("div");
    fresh.innerHTML = await response.text();
    const words = function (element) { return element.textContent.replace(/\s+/g, " ").trim(); };
    if (words(fresh) === words(planPanel)) { return; }
    planPanel.replaceChildren(...fresh.childNodes);
    if (planStatus) { planStatus.textContent = "Plan updated at " + new Date().toLocaleTimeString() + "."; }
  }

  let busy = false;

  // fromButton: a reply button was pressed, so focus moves to the first new reply (it is read out there);
  // otherwise focus stays where it was (the message box) and the replies are read from the announcer.
  async function send(payload, shown, fromButton) {
    if (busy) { return false; }  // one message at a time: a double click must not answer twice
    busy = true;
    status.textContent = "";  // cleared now and set later: the same message twice is still read out twice
    announcer.textContent = "";
    typing.textContent = typing.dataset.typing;
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
      const added = [];
      if (shown) { added.push(add("student", shown)); }
      const replies = data.messages.map(function (m) { return add("bot", m.text, m.buttons); });
      added.push.apply(added, replies);
      typing.textContent = "";
      if (added.length) { reveal(added[0], added[added.length - 1]); }
      if (fromButton && replies.length) {
        replies[0].tabIndex = -1;
        replies[0].focus({preventScroll: true});
      } else if (fromButton) {
        box.focus({preventScroll: true});
      } else if (replies.length) {
        announcer.textContent = replies.map(function (m) { return botLabel + m.querySelector("p").textContent; })
          .join(" ");
      }
      refreshPlan();
      if (data.notice) { status.textContent = data.notice; }
      return true;
    } catch (error) {
      status.textContent = error.message.startsWith("Failed to fetch")
        ? "You seem to be offline. Your message is still in the box; try again." : error.message;
      if (fromButton) { box.focus({preventScroll: true}); }
      return false;
    } finally {
      typing.textContent = "";
      busy = false;
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const text = box.value.trim();
    if (!text) { return; }
    if (await send(text, text, false)) { box.value = ""; }
    box.focus();
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  if (form.dataset.start) { send(form.dataset.start, "", false); }
  const resume = document.getElementById("resume");  // an advisor's Continue: the script's current step again
  if (resume) { resume.addEventListener("click", function () { send(resume.dataset.payload, "", true); }); }
  // Send stays disabled until now: a click before this script ran would reload the page and lose the text.
  document.getElementById("send").disabled = false;
})();
