/* Screening form enhancements. The form works fully without this file.
 * - Focus the error summary when the page shows one.
 * - An error link in the summary moves to its field with the question and its error in view.
 * - Ask a follow-up question only after the answer it follows (the "right now?" question, the
 *   "something else" boxes), and show the crisis message the moment a suicide-risk question is
 *   answered yes: just below that question, scrolled into view only as far as no question still
 *   unanswered goes above the screen; a "yes, right now" changes it to "stop and call now".
 * - When the page leads with the crisis message (a step sent back with errors), it gets the focus
 *   rather than the error summary below it, so the screen stays on the help.
 * - A step opened by a Change link shows the question it names at the top of the screen.
 * - A print button on the confirmation page.
 */
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  var crisisTop = document.getElementById("crisis-top");
  if (summary && crisisTop) {
    crisisTop.focus({ preventScroll: true });
  } else if (summary) {
    summary.focus();
  }

  // A Change link from the check page names its question: bring it to the top once the page is
  // laid out (the browser's own jump can come before the page has its final height).
  var changed = window.location.hash.indexOf("#q-") === 0 && document.getElementById(window.location.hash.slice(1));
  if (changed && !summary) {
    changed.scrollIntoView({ block: "start", behavior: "instant" });
  }

  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () {
      window.print();
    });
  }

  var form = document.getElementById("screening-form");
  if (!form) {
    return;
  }

  // --- Questions asked only after some answers, and the crisis message -------------------------
  // Which answers matter is rendered into data- attributes from the questionnaire definition.
  function words(element, name) {
    return (element.getAttribute(name) || "").split(" ").filter(Boolean);
  }

  function holds(names, codes) {
    return names.some(function (name) {
      var checked = form.querySelectorAll('[name="' + name + '"]:checked');
      return Array.prototype.some.call(checked, function (input) {
        return !input.disabled && codes.indexOf(input.value) !== -1;
      });
    });
  }

  var crisisAlert = document.getElementById("crisis-alert");
  var crisisNames = crisisAlert ? words(crisisAlert, "data-crisis-when") : [];
  var crisisCodes = crisisAlert ? words(crisisAlert, "data-crisis-when-codes") : [];
  var conditional = Array.prototype.slice.call(form.querySelectorAll("[data-asked-when]"));

  function updateConditional() {
    conditional.forEach(function (group) {
      var own = Array.prototype.slice.call(group.querySelectorAll("input, textarea, select"));
      // A question whose own answer calls for the crisis message stays in view while it does.
      var keeps = own.some(function (input) {
        return input.checked && crisisNames.indexOf(input.name) !== -1 && crisisCodes.indexOf(input.value) !== -1;
      });
      var show = keeps || holds(words(group, "data-asked-when"), words(group, "data-asked-when-codes"));
      group.hidden = !show;
      // A hidden question is not sent, so an earlier answer cannot count by mistake.
      own.forEach(function (input) {
        input.disabled = !show;
      });
    });
  }

  function crisisVariant() {
    if (holds(words(crisisAlert, "data-acute-when"), words(crisisAlert, "data-acute-when-codes"))) {
      return "acute";
    }
    if (!holds(crisisNames, crisisCodes)) {
      return "";
    }
    var declined = holds(words(crisisAlert, "data-declined-when"), words(crisisAlert, "data-declined-when-codes"));
    return declined ? "declined" : "panel";
  }

  function unanswered(group) {
    var inputs = Array.prototype.slice.call(group.querySelectorAll("input, textarea, select"));
    return !inputs.some(function (input) {
      return input.type === "radio" || input.type === "checkbox" ? input.checked : input.value !== "";
    });
  }

  // Scroll just enough for the whole message (its top first, if it cannot all show) to be on the
  // screen, but never past a question still to answer.
  function bringCrisisIntoView() {
    var box = crisisAlert.getBoundingClientRect();
    var margin = 16;
    var by = 0;
    if (box.bottom > window.innerHeight - margin) {
      by = Math.min(box.bottom - window.innerHeight + margin, box.top - margin);
    } else if (box.top < 0) {
      by = box.top - margin;
    }
    if (by > 0) {
      form.querySelectorAll(".form-field").forEach(function (group) {
        var top = group.getBoundingClientRect().top;
        if (!group.hidden && top >= 0 && unanswered(group)) {
          by = Math.min(by, top);
        }
      });
    }
    if (by !== 0) {
      window.scrollBy({ top: by, behavior: "instant" });
    }
  }

  function updateCrisis(changed) {
    if (!crisisAlert) {
      return;
    }
    var variant = crisisVariant();
    if (crisisAlert.getAttribute("data-showing") === variant) {
      return;
    }
    var wasShowing = crisisAlert.getAttribute("data-showing") !== "";
    crisisAlert.setAttribute("data-showing", variant);
    crisisAlert.replaceChildren();
    crisisAlert.hidden = !variant;
    var template = document.getElementById(variant === "panel" ? "crisis-message" : "crisis-message-" + variant);
    if (!variant || !template) {
      return;
    }
    // Newly shown: just below the question that called for it, where the person is looking;
    // the questions after it move down, none goes up out of sight.
    var group = changed && changed.closest && changed.closest(".form-field");
    if (!wasShowing && group && crisisNames.indexOf(changed.name) !== -1) {
      group.after(crisisAlert);
    }
    crisisAlert.appendChild(template.content.cloneNode(true));
    bringCrisisIntoView();
  }

  // "None of these" and the other answers of its group rule each other out.
  function updateExclusive(input) {
    if (input.type !== "checkbox" || !input.checked) {
      return;
    }
    var group = form.querySelectorAll('input[name="' + input.name + '"]');
    Array.prototype.forEach.call(group, function (other) {
      if (other !== input && (input.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    });
  }

  form.addEventListener("change", function (event) {
    updateExclusive(event.target);
    updateConditional();
    updateCrisis(event.target);
  });
  updateConditional();
  if (crisisAlert) {
    // What the server rendered (here, or at the top of the page) is what shows now; only a
    // change of answer replaces it.
    crisisAlert.setAttribute("data-showing", crisisVariant());
  }

  // --- Error links: show the question and its error, not just the input -----------------------
  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var input = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!input) {
        return;
      }
      event.preventDefault();
      var group = input.closest("fieldset") || input.closest(".form-field");
      var heading = group && (group.querySelector("legend") || group.querySelector("label"));
      (heading || input).scrollIntoView({ block: "start", behavior: "instant" });
      input.focus({ preventScroll: true });
    });
  }
})();
