/* Screening form enhancements. The form works fully without this file.
 * - Focus the error summary when the page shows one.
 * - Show one section at a time, with Back and Next; every section stays in the form, so moving
 *   between them never loses an answer.
 * - Show the crisis message the moment a suicide-risk question is answered yes, and ask the
 *   "right now?" question only then.
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

  // --- Suicide-risk questions ------------------------------------------------------------------
  var asqNames = ["asq_wish_dead", "asq_better_off", "asq_thoughts", "asq_attempt"];
  var asqNow = document.getElementById("asq-now");
  var crisisAlert = document.getElementById("crisis-alert");
  var crisisTemplate = document.getElementById("crisis-message");

  function anyAsqYes() {
    return asqNames.some(function (name) {
      var checked = form.querySelector('input[name="' + name + '"]:checked');
      return checked !== null && checked.value === "yes";
    });
  }

  function updateAsq() {
    var nowYes = form.querySelector('input[name="asq_now"][value="yes"]');
    // Once "yes, right now" is ticked it stays in view (and is sent) until changed.
    var show = anyAsqYes() || (nowYes !== null && nowYes.checked);
    if (asqNow) {
      asqNow.hidden = !show;
      // A hidden question is not sent, so an earlier answer cannot count by mistake.
      asqNow.querySelectorAll("input").forEach(function (input) {
        input.disabled = !show;
      });
    }
    if (crisisAlert && crisisTemplate) {
      if (show && !crisisAlert.hasChildNodes()) {
        crisisAlert.appendChild(crisisTemplate.content.cloneNode(true));
      } else if (!show) {
        crisisAlert.replaceChildren();
      }
    }
  }

  if (crisisAlert && crisisAlert.textContent.trim() === "") {
    crisisAlert.replaceChildren(); // drop whitespace so :empty styling applies
  }
  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (asqNames.indexOf(name) !== -1 || name === "asq_now") {
      updateAsq();
    }
  });
  updateAsq();

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
