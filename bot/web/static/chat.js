// Sends the student's (or an advisor's) message to the web app, never to Rasa directly, and shows the replies.
// Text is always inserted with textContent, so nothing a bot or student typed can run as HTML.
// The form's data attributes choose the endpoint, a payload sent on load (an advisor session's start), and labels.
//
// The student's message is shown at once, marked "Sending…" until the bot answers. When it cannot be sent it
// stays in the conversation marked "Not sent" with a Try again button, and a typed message also goes back into the
// box (when the box is empty), so nothing is lost.
//
// For keyboards and screen readers: the conversation is not a live region (what the student typed is not read
// back to them); the bot's replies are read from #announcer, or, after a reply button, focus moves to the first
// new reply. The typing line and the error line stay in the page and only change their text. The message box is
// sticky at the bottom of the window: the newest message is scrolled to end above it, and the page's scroll
// padding (set here from the box's height) keeps a focused control above it too.
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
  const GAP = 8;  // px kept between the newest message and the message box, and below the window's top

  // Scroll padding the size of the message box (and a little air): Tab stops above it.
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

  // The newest message (last) ends above the message box, its buttons included; the first new one is shown from
  // its top as well when there is room for both. The box is measured, not guessed: it is taller on a phone.
  function reveal(first, last) {
    const room = form.getBoundingClientRect().top - GAP;
    const top = first.getBoundingClientRect().top;
    const bottom = last.getBoundingClientRect().bottom;
    if (bottom > room) {
      window.scrollBy(0, bottom - room);
    } else if (top < GAP) {
      window.scrollBy(0, Math.max(top - GAP, bottom - room));
    }
  }

  function reply(button) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "choice";
    b.textContent = button.title;
    b.addEventListener("click", function () { send(button.payload, button.title, true); });
    return b;
  }

  function add(who, text, buttons) {
    const item = document.createElement("li");
    item.className = who;
    const label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = who === "bot" ? botLabel : youLabel;
    const body = document.createElement("p");
    body.textContent = text;
    item.append(label, body);
    (buttons || []).forEach(function (button) { item.append(reply(button)); });
    log.append(item);
    return item;
  }

  // A student's message and where it is: "sending" (shown at once), "sent" (the bot answered) or "failed".
  function mark(item, state, retry) {
    item.dataset.state = state;
    let note = item.querySelector(".delivery");
    if (state === "sent") {
      if (note) { note.remove(); }
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "delivery";
      item.append(note);
    }
    note.replaceChildren(state === "sending" ? "Sending…" : "Not sent. ");
    if (state === "failed") {
      const again = document.createElement("button");
      again.type = "button";
      again.className = "link retry";
      again.textContent = "Try again";
      again.addEventListener("click", retry);
      note.append(again);
    }
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
  let unsent = null;  // the message that could not be sent: {item, typed} (typed: its text went back to the box)

  // fromButton: a reply button was pressed, so focus moves to the first new reply (it is read out there);
  // otherwise focus stays where it was (the message box) and the replies are read from the announcer.
  // mine: the student's message already in the conversation (a Try again), else one is added for `shown`.
  async function send(payload, shown, fromButton, mine) {
    if (busy) { return false; }  // one message at a time: a double click must not answer twice
    busy = true;
    form.dataset.busy = "true";
    status.textContent = "";  // cleared now and set later: the same message twice is still read out twice
    announcer.textContent = "";
    if (unsent && unsent.typed && !mine && !fromButton) {
      // Sent from the box, where the unsent message's text went back: this message takes its place.
      unsent.item.remove();
      unsent = null;
    }
    const item = mine || (shown ? add("student", shown) : null);
    typing.textContent = typing.dataset.typing;
    if (item) {
      mark(item, "sending");
      reveal(item, typing);
    }
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
      if (item) { mark(item, "sent"); }
      if (unsent && unsent.item === item) { unsent = null; }
      typing.textContent = "";
      const replies = data.messages.map(function (m) { return add("bot", m.text, m.buttons); });
      if (replies.length) { reveal(replies[0], replies[replies.length - 1]); }
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
      if (item) {
        const typed = payload === shown && (box.value === "" || box.value === shown);
        if (typed) { box.value = shown; }
        unsent = {item: item, typed: typed};
        mark(item, "failed", function () {
          if (typed && box.value === shown) { box.value = ""; }
          send(payload, shown, true, item);
        });
        reveal(item, item);
      }
      if (fromButton) { box.focus({preventScroll: true}); }
      return false;
    } finally {
      typing.textContent = "";
      busy = false;
      delete form.dataset.busy;
    }
  }

  // Typed messages wait their turn: one sent while the bot is still answering goes out right after that answer
  // (it used to be dropped, left in the box with nothing said).
  let typedQueue = Promise.resolve();
  function whenIdle() {
    return new Promise(function (resolve) {
      (function check() { if (busy) { setTimeout(check, 50); } else { resolve(); } })();
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = box.value.trim();
    if (!text) { return; }
    box.value = "";  // shown in the conversation when it is sent; put back if it cannot be sent
    typedQueue = typedQueue.then(whenIdle).then(function () { return send(text, text, false); });
    box.focus();
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  // Buttons the server put on the page (a returning student's greeting) work as the bot's reply buttons do.
  log.querySelectorAll("button[data-payload]").forEach(function (button) {
    button.addEventListener("click", function () { send(button.dataset.payload, button.textContent, true); });
  });
  // A returning student's page opens at its end: the newest message and the greeting above the box.
  if (log.lastElementChild) {
    if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
    reveal(log.lastElementChild, log.lastElementChild);
  }
  if (form.dataset.start) { send(form.dataset.start, "", false); }
  const resume = document.getElementById("resume");  // an advisor's Continue: the script's current step again
  if (resume) { resume.addEventListener("click", function () { send(resume.dataset.payload, "", true); }); }
  // Send stays disabled until now: a click before this script ran would reload the page and lose the text.
  document.getElementById("send").disabled = false;
})();
