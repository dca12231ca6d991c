/* Screening form enhancements. The form works fully without this file.
 * - Focus the error summary when the page shows one.
 * - An error link in the summary moves to its field with the question and its error in view.
 * - Ask a follow-up question only after the answer it follows (the "right now?" question, the
 *   "something else" boxes), and show the crisis message, brought into view, the moment a
 *   suicide-risk question is answered yes; a "yes, right now" changes it to "stop and call now".
 * - A print button on the confirmation page.
 */
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
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

  function updateCrisis() {
    if (!crisisAlert) {
      return;
    }
    var acute = holds(words(crisisAlert, "data-acute-when"), words(crisisAlert, "data-acute-when-codes"));
    var declined = holds(words(crisisAlert, "data-declined-when"), words(crisisAlert, "data-declined-when-codes"));
    var positive = holds(crisisNames, crisisCodes);
    var variant = acute ? "acute" : positive && declined ? "declined" : positive ? "panel" : "";
    if (crisisAlert.getAttribute("data-showing") === variant) {
      return;
    }
    crisisAlert.setAttribute("data-showing", variant);
    crisisAlert.replaceChildren();
    var template = document.getElementById(variant === "panel" ? "crisis-message" : "crisis-message-" + variant);
    if (variant && template) {
      crisisAlert.appendChild(template.content.cloneNode(true));
      crisisAlert.scrollIntoView({ block: "center", behavior: "instant" });
    }
  }

  if (crisisAlert && crisisAlert.textContent.trim() === "") {
    crisisAlert.replaceChildren(); // drop whitespace so :empty styling applies
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
    updateCrisis();
  });
  updateConditional();
  if (crisisAlert) {
    // What the server rendered is what shows now; only a change of answer replaces it.
    var shown = crisisAlert.hasChildNodes();
    var acuteNow = holds(words(crisisAlert, "data-acute-when"), words(crisisAlert, "data-acute-when-codes"));
    var declinedNow = holds(words(crisisAlert, "data-declined-when"), words(crisisAlert, "data-declined-when-codes"));
    crisisAlert.setAttribute("data-showing", shown ? (acuteNow ? "acute" : declinedNow ? "declined" : "panel") : "");
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
