// The flag page opens at the flagged message. Links to a flag end in #flagged-turn, so the browser itself scrolls
// there with no script; this keeps a little of the conversation before the message in view, and does the same
// when the page is opened without the fragment (then only the conversation's own box scrolls, so the flag's
// summary and the follow-up form stay in view). Through the fragment, focus moves to the message as well, so a
// screen reader starts reading there.
(function () {
  const turn = document.getElementById("flagged-turn");
  const box = turn && turn.closest(".transcript-scroll");
  if (!turn || !box) { return; }
  function showTurn(focus) {
    // The box is positioned, so offsetTop counts from its top: a quarter of the box stays above the message.
    box.scrollTop = Math.max(0, turn.offsetTop - box.clientHeight / 4);
    if (focus) { turn.focus({preventScroll: true}); }
  }
  showTurn(window.location.hash === "#flagged-turn");
  window.addEventListener("hashchange", function () {
    if (window.location.hash === "#flagged-turn") { showTurn(true); }
  });
})();
