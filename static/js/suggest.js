/* Suggestions as one types in the search field: a progressive enhancement. Without this file
 * (or without JavaScript) the field is a plain search field and the form works as before.
 *
 * The field becomes a WAI-ARIA 1.2 combobox with a listbox popup (list autocomplete, no
 * automatic selection): the suggestions come from /api/suggest (the archive's own title words,
 * data-suggest on the field's container). Keys: Down/Up move through the suggestions (Down
 * also opens the list), Enter takes the active suggestion and searches, Escape closes the
 * list (a second Escape clears the field), Tab leaves; a click or tap on a suggestion searches
 * it. The active suggestion is announced through aria-activedescendant, the number of
 * suggestions through a polite live region. Nothing here writes HTML or inline styles (CSP). */
(function () {
  "use strict";

  var WAIT_MS = 150;
  var MIN_LETTERS = 3;

  function enhance(container) {
    var input = container.querySelector("input[type=search], input[type=text]");
    var url = container.getAttribute("data-suggest");
    if (!input || !url || !window.fetch) {
      return;
    }
    var id = (input.id || "q") + "-forslag";
    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Forslag");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    // The list hangs under the field itself: the field goes into a box of its own.
    var box = document.createElement("div");
    box.className = "suggest-box";
    input.parentNode.insertBefore(box, input);
    box.appendChild(input);
    box.appendChild(list);
    container.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");

    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastAsked = null;

    function setActive(index) {
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      setActive(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function open() {
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function show(suggestions) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      options = suggestions.map(function (text, n) {
        var option = document.createElement("li");
        option.id = id + "-" + n;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = text;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
        });
        option.addEventListener("click", function () {
          choose(n);
        });
        list.appendChild(option);
        return option;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length) {
        status.textContent =
          options.length === 1 ? "1 forslag. Brug pil ned for at vælge." :
          options.length + " forslag. Brug pil ned for at vælge.";
        open();
      } else {
        status.textContent = "";
        close();
      }
    }

    function choose(index) {
      input.value = options[index].textContent;
      close();
      if (input.form) {
        if (input.form.requestSubmit) {
          input.form.requestSubmit();
        } else {
          input.form.submit();
        }
      }
    }

    function ask() {
      var query = input.value;
      var words = query.trim().split(/\s+/);
      if (words[words.length - 1].length < MIN_LETTERS) {
        lastAsked = null;
        show([]);
        return;
      }
      if (query === lastAsked) {
        open();
        return;
      }
      lastAsked = query;
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value === query && document.activeElement === input) {
            show(Array.isArray(data.suggestions) ? data.suggestions : []);
          }
        })
        .catch(function () {
          /* aborted or offline: the field works without suggestions */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });

    input.addEventListener("keydown", function (event) {
      var expanded = !list.hidden;
      switch (event.key) {
        case "ArrowDown":
          if (!expanded) {
            if (options.length) {
              open();
            } else {
              ask();
            }
            if (!event.altKey && options.length) {
              setActive(0);
            }
          } else {
            setActive(active + 1 < options.length ? active + 1 : 0);
          }
          event.preventDefault();
          break;
        case "ArrowUp":
          if (expanded) {
            setActive(active > 0 ? active - 1 : options.length - 1);
            event.preventDefault();
          }
          break;
        case "Enter":
          if (expanded && active >= 0) {
            event.preventDefault();
            choose(active);
          }
          break;
        case "Escape":
          if (expanded) {
            close();
            event.preventDefault();
          } else if (input.value) {
            input.value = "";
            lastAsked = null;
            show([]);
            event.preventDefault();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
    });
  }

  var containers = document.querySelectorAll("[data-suggest]");
  for (var i = 0; i < containers.length; i += 1) {
    enhance(containers[i]);
  }
})();
