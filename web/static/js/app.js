// Progressive enhancement only: every feature here has a server-rendered fallback.
// No inline script anywhere (CSP script-src 'self').
(function () {
  "use strict";
  document.body.classList.add("js-enabled", "govuk-frontend-supported");

  // A worker still starting up answers the ask form with 503 (so a proxy can try another
  // worker); when that 503 reaches the page, show its message in the form as usual.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 503 && xhr.getResponseHeader("HX-Retarget") === "#ask-form") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

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
    var state = document.getElementById("conversation-state");
    if (elt && elt.id === "conversation-state" && state) {
      // One hidden field per answer: copy them all.
      document.querySelectorAll(".app-conversation-copy").forEach(function (copy) {
        copy.innerHTML = state.innerHTML;
      });
    }
  });

  // New content from any swap, including SSE messages (htmx:load fires for each).
  document.addEventListener("htmx:load", function () { revealCopyButtons(document); });
  document.addEventListener("htmx:sseMessage", function () { revealCopyButtons(document); });

  // Keyboard: Enter sends the question, Shift+Enter adds a line (the hint says so once
  // JavaScript is running; without it Enter adds a line and the Ask button sends). Never
  // while an input method is composing text (Japanese, Chinese, Korean keyboards).
  function revealKeyHint(root) {
    var hint = root.querySelector("#question-keys[hidden]");
    var box = root.querySelector("#question");
    if (!hint || !box) return;
    hint.hidden = false;
    var described = (box.getAttribute("aria-describedby") || "").split(" ");
    if (described.indexOf(hint.id) === -1) {
      described.push(hint.id);
      box.setAttribute("aria-describedby", described.join(" ").trim());
    }
  }

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!box || box.id !== "question" || event.key !== "Enter") return;
    if (event.shiftKey || event.altKey || event.isComposing || event.keyCode === 229) return;
    var form = box.form;
    if (!form) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button && button.disabled) return; // the question is already on its way
    if (form.requestSubmit) { form.requestSubmit(button || undefined); } else if (button) { button.click(); }
  });

  // Example questions: once one is sent (or the user asks their own), they go away, and
  // the keyboard lands in the question box, as after asking.
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !event.detail.successful || event.detail.xhr.getResponseHeader("HX-Retarget")) return;
    var fromExample = elt.classList && elt.classList.contains("app-examples__form");
    if (!fromExample && elt.id !== "ask-form") return;
    var examples = document.getElementById("examples");
    if (examples) examples.remove();
    if (!fromExample) return; // the ask form's own handler above does the rest
    var label = document.querySelector("#ask-form label[for='question']");
    if (label) label.textContent = "Ask a follow-up question";
    var box = document.getElementById("question");
    if (box) box.focus({ preventScroll: true });
    var pending = document.querySelector("#conversation .app-pending:last-child");
    if (pending) pending.scrollIntoView({ block: "start" });
  });

  // Feedback: after "Yes"/"No" (or a comment) the thanks replaces the buttons; move focus
  // there so keyboard and screen-reader users continue from where they were.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains("app-feedback")) return;
    var thanks = target.querySelector(".app-feedback__thanks, .govuk-error-message");
    if (thanks) {
      if (!thanks.hasAttribute("tabindex")) thanks.setAttribute("tabindex", "-1");
      thanks.focus();
    }
  });

  // Phones: the question form is a bar at the bottom of the screen (app.css). Keep the
  // page's scroll padding equal to its height so a focused element never hides under it.
  var askObserver = null;
  var observedForm = null;
  function trackAskHeight() {
    var form = document.getElementById("ask-form");
    if (!form || form === observedForm || !window.ResizeObserver) return;
    if (askObserver) askObserver.disconnect(); // the form was swapped (an error came back)
    observedForm = form;
    askObserver = new ResizeObserver(function () {
      var sticky = getComputedStyle(form).position === "sticky";
      document.documentElement.style.setProperty(
        "--app-ask-height", sticky ? Math.ceil(form.getBoundingClientRect().height) + "px" : "0px");
    });
    askObserver.observe(form);
  }

  document.addEventListener("htmx:afterSwap", function () {
    revealKeyHint(document);
    trackAskHeight();
  });

  // The conversation survives navigation: the page's signed conversation fields (only
  // redacted questions and answers, nothing else) are kept in sessionStorage; after Back
  // or a reload an empty page asks the server to render them again (it checks every
  // signature). "New conversation" forgets them.
  var STORE = "assistant.conversation";

  function pageTokens() {
    return Array.prototype.map.call(
      document.querySelectorAll("#conversation-state input[name=conversation]"),
      function (input) { return input.value; });
  }

  function storedTokens() {
    try {
      var tokens = JSON.parse(window.sessionStorage.getItem(STORE) || "[]");
      return Array.isArray(tokens) ? tokens.filter(function (t) { return typeof t === "string"; }) : [];
    } catch (e) { return []; }
  }

  function saveTokens() {
    var tokens = pageTokens();
    try {
      if (tokens.length) window.sessionStorage.setItem(STORE, JSON.stringify(tokens));
    } catch (e) { /* storage full or disabled: the conversation just does not survive */ }
  }

  function forgetTokens() {
    try { window.sessionStorage.removeItem(STORE); } catch (e) { /* disabled */ }
  }

  function restoreConversation() {
    if (window.location.hash === "#new") {  // arrived from /new: start afresh
      forgetTokens();
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      return;
    }
    if (!document.getElementById("conversation-state") || !window.htmx) return;
    if (pageTokens().length) { saveTokens(); return; }
    var tokens = storedTokens();
    if (!tokens.length) return;
    window.htmx.ajax("POST", "/conversation", {
      source: "#conversation", target: "#conversation", swap: "innerHTML",
      values: { conversation: tokens }
    }).then(function () {
      if (!pageTokens().length) { forgetTokens(); return; } // nothing valid was kept
      var examples = document.getElementById("examples");
      if (examples) examples.remove();
      var label = document.querySelector("#ask-form label[for='question']");
      if (label) label.textContent = "Ask a follow-up question";
      revealCopyButtons(document);
    });
  }

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var elt = event.detail.target || event.detail.elt;
    if (elt && elt.id === "conversation-state") saveTokens();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a.app-new-conversation")) forgetTokens();
  });

  // Back into a page kept whole in the back/forward cache: if the conversation changed
  // meanwhile (New conversation in another page), load it again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && storedTokens().join(" ") !== pageTokens().join(" ")) {
      window.location.reload();
    }
  });

  revealKeyHint(document);
  trackAskHeight();
  revealCopyButtons(document);
  restoreConversation();
})();

// --- Citations you can check (issue #14 item 3) ---------------------------------------
// Hover or focus on a [n] marker shows a preview of the quoted passage (role="tooltip",
// already the marker's aria-describedby, so screen readers hear it without this script).
// The preview stays while the pointer is over it and Escape closes it (WCAG 1.4.13).
// Selecting the marker opens the passage panel as before (a bottom sheet on phones, in
// app.css). "Back to your conversation" on a document page goes back in history when the
// previous page was the conversation, so the reader returns to where they were.
(function () {
  "use strict";
  var shown = null;
  var opener = null;
  var hideTimer = null;

  function markerOf(node) {
    return node && node.closest ? node.closest("a.app-cite[data-preview]") : null;
  }

  function previewOf(node) {
    return node && node.closest ? node.closest(".app-cite-preview") : null;
  }

  function hidePreview() {
    clearTimeout(hideTimer);
    if (shown) shown.hidden = true;
    shown = null;
    opener = null;
  }

  function place(preview, marker) {
    var rect = marker.getBoundingClientRect();
    var width = Math.min(360, window.innerWidth - 16);
    preview.style.width = width + "px";
    preview.style.left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8)) + "px";
    var height = preview.offsetHeight;
    var below = rect.bottom + 6;
    var above = rect.top - height - 6;
    preview.style.top = (below + height > window.innerHeight && above > 0 ? above : below) + "px";
  }

  function showPreview(marker) {
    var preview = document.getElementById(marker.getAttribute("data-preview"));
    if (!preview) return;
    clearTimeout(hideTimer);
    if (shown && shown !== preview) hidePreview();
    preview.hidden = false;
    shown = preview;
    opener = marker;
    place(preview, marker);
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hidePreview, 300);
  }

  document.addEventListener("mouseover", function (event) {
    var marker = markerOf(event.target);
    if (marker) { showPreview(marker); return; }
    if (shown && previewOf(event.target) === shown) clearTimeout(hideTimer);
  });

  document.addEventListener("mouseout", function (event) {
    if (!shown) return;
    var to = event.relatedTarget;
    if (to && (previewOf(to) === shown || markerOf(to) === opener)) return;
    if (markerOf(event.target) === opener || previewOf(event.target) === shown) hideSoon();
  });

  document.addEventListener("focusin", function (event) {
    var marker = markerOf(event.target);
    if (marker) showPreview(marker);
    else if (shown) hidePreview();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (shown) { hidePreview(); return; }
    var panel = document.getElementById("citation-panel");
    var close = panel && panel.querySelector("button.app-panel__close");
    if (close && getComputedStyle(panel).position === "fixed") close.click(); // the phone sheet
  });

  window.addEventListener("scroll", function () { if (shown && opener) place(shown, opener); }, { passive: true });

  document.addEventListener("click", function (event) {
    if (markerOf(event.target)) hidePreview(); // the passage panel takes over
    var back = event.target.closest ? event.target.closest("a[data-history-back]") : null;
    if (!back || !document.referrer || window.history.length < 2) return;
    var previous = new URL(document.referrer);
    if (previous.origin === window.location.origin && previous.pathname === "/") {
      event.preventDefault();
      window.history.back();
    }
  });
})();
