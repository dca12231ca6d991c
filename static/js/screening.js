/* Screening form enhancements. The form works fully without this file.
 * - Focus the error summary when the page shows one.
 * - Show one section at a time, with Back and Next; every section stays in the form, so moving
 *   between them never loses an answer.
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
    var variant = acute ? "acute" : holds(crisisNames, crisisCodes) ? "panel" : "";
    if (crisisAlert.getAttribute("data-showing") === variant) {
      return;
    }
    crisisAlert.setAttribute("data-showing", variant);
    crisisAlert.replaceChildren();
    var template = document.getElementById(acute ? "crisis-message-acute" : "crisis-message");
    if (variant && template) {
      crisisAlert.appendChild(template.content.cloneNode(true));
      crisisAlert.scrollIntoView({ block: "center" });
    }
  }

  if (crisisAlert && crisisAlert.textContent.trim() === "") {
    crisisAlert.replaceChildren(); // drop whitespace so :empty styling applies
  }
  form.addEventListener("change", function () {
    updateConditional();
    updateCrisis();
  });
  updateConditional();
  if (crisisAlert) {
    // What the server rendered is what shows now; only a change of answer replaces it.
    var shown = crisisAlert.hasChildNodes();
    var acuteNow = holds(words(crisisAlert, "data-acute-when"), words(crisisAlert, "data-acute-when-codes"));
    crisisAlert.setAttribute("data-showing", shown ? (acuteNow ? "acute" : "panel") : "");
  }

  // --- One section at a time -------------------------------------------------------------------
  if (!form.hasAttribute("data-step-by-step")) {
    return;
  }
  var sections = Array.prototype.slice.call(form.querySelectorAll(".form-section"));
  if (sections.length < 2) {
    return;
  }
  var current = 0;

  function button(label, className, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function show(index, moveFocus) {
    current = index;
    sections.forEach(function (section, i) {
      section.hidden = i !== index;
    });
    if (moveFocus) {
      var title = sections[index].querySelector(".form-section__title");
      if (title) {
        title.focus();
      }
    }
  }

  sections.forEach(function (section, index) {
    var nav = document.createElement("div");
    nav.className = "form-section__nav";
    if (index > 0) {
      nav.appendChild(
        button("Back", "btn btn-outline-primary", function () {
          show(index - 1, true);
        })
      );
    }
    if (index < sections.length - 1) {
      var next = sections[index + 1].querySelector(".form-section__title");
      nav.appendChild(
        button("Next: " + (next ? next.textContent.trim() : "continue"), "btn btn-primary", function () {
          show(index + 1, true);
        })
      );
      section.appendChild(nav);
    } else {
      var submit = section.querySelector('button[type="submit"]');
      section.insertBefore(nav, submit);
      nav.appendChild(submit);
    }
  });

  // Pressing Enter in a field before the last section goes to the next section, not the server.
  form.addEventListener("submit", function (event) {
    if (current < sections.length - 1) {
      event.preventDefault();
      show(current + 1, true);
    }
  });

  show(0, false);
})();
