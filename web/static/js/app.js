// Progressive enhancement only: every feature here has a server-rendered fallback.
// No inline script anywhere (CSP script-src 'self').
(function () {
  "use strict";
  document.body.classList.add("js-enabled", "govuk-frontend-supported");

  function revealCopyButtons(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("button.app-copy[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("button.app-copy");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy"));
      if (!source) return;
      navigator.clipboard.writeText(source.textContent).then(function () {
        copy.textContent = "Answer copied";
        var status = document.getElementById("answer-status");
        if (status) status.textContent = "Answer copied to the clipboard.";
        setTimeout(function () { copy.textContent = "Copy answer"; }, 4000);
      });
      return;
    }
    var close = event.target.closest("button.app-panel__close");
    if (close) {
      var panel = document.getElementById("citation-panel");
      var opener = panel && panel._opener;
      panel.innerHTML = '<h2 class="govuk-heading-s">Cited passages</h2>' +
        '<p class="govuk-body-s">Select a numbered source in an answer to read the passage here, highlighted in its section.</p>';
      if (opener && document.body.contains(opener)) opener.focus();
      return;
    }
    var cite = event.target.closest("[hx-target='#citation-panel']");
    if (cite) {
      var p = document.getElementById("citation-panel");
      if (p) p._opener = cite;
      document.querySelectorAll(".app-cite--active").forEach(function (el) { el.classList.remove("app-cite--active"); });
      cite.classList.add("app-cite--active");
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    if (target.id === "citation-panel") {
      // Move focus to the passage's title so keyboard and screen-reader users land on it.
      var title = target.querySelector("#panel-title");
      if (title) {
        title.focus({ preventScroll: true });
        target.scrollIntoView({ block: "nearest" });
        var mark = target.querySelector(".app-cited__passage");
        if (mark) mark.scrollIntoView({ block: "nearest" });
      }
    }
    if (target.id === "ask-form" || !document.body.contains(target)) {
      // The form came back with an error (GOV.UK pattern: focus the error summary).
      var summary = document.querySelector("#ask-form .govuk-error-summary");
      if (summary) summary.focus();
    }
    revealCopyButtons(document);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.id === "ask-form" && event.detail.successful && !event.detail.xhr.getResponseHeader("HX-Retarget")) {
      var box = document.getElementById("question");
      if (box) { box.value = ""; box.focus(); }
      var label = form.querySelector("label[for='question']");
      if (label) label.textContent = "Ask a follow-up question";
      var pending = document.querySelector("#conversation .app-pending:last-child");
      if (pending) pending.scrollIntoView({ block: "start" });
    }
  });

  // After a streamed answer, copy the new conversation state into the feedback forms
  // (used only by the no-JavaScript fallback) and reveal the copy buttons.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var elt = event.detail.target || event.detail.elt;
    if (elt && elt.id === "conversation-state") {
      document.querySelectorAll("input.app-conversation-copy").forEach(function (input) {
        input.value = elt.value;
      });
    }
  });

  // New content from any swap, including SSE messages (htmx:load fires for each).
  document.addEventListener("htmx:load", function () { revealCopyButtons(document); });
  document.addEventListener("htmx:sseMessage", function () { revealCopyButtons(document); });

  revealCopyButtons(document);
})();
