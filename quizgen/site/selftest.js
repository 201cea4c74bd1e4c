// The self-test: one question at a time, an answer marked at once, a score, then a round of
// the missed questions. Each attempt is a new shuffle; ?seed=N makes it repeatable and
// ?lang=zh|en|both picks the language. Nothing is fetched: the quiz is in the page.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("quiz-data").textContent);
  var params = new URLSearchParams(window.location.search);
  var seedParam = params.get("seed");
  var seed = seedParam !== null && /^\d+$/.test(seedParam) ? Number(seedParam) : randomSeed();
  var lang = ["zh", "en", "both"].indexOf(params.get("lang")) >= 0 ? params.get("lang") : data.lang;
  var attempt = 0, round = [], position = 0, answered = false, missed = [], right = 0;
  var $ = function (id) { return document.getElementById(id); };

  function randomSeed() {
    var buffer = new Uint32Array(1);
    window.crypto.getRandomValues(buffer);
    return buffer[0];
  }

  // mulberry32: a small, good-enough generator that a seed makes repeatable.
  function generator(state) {
    return function () {
      state = (state + 0x6d2b79f5) | 0;
      var t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffled(items, random) {
    var out = items.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var swap = out[i]; out[i] = out[j]; out[j] = swap;
    }
    return out;
  }

  // A text in the chosen language: elements with lang set, so browsers pick the right glyphs.
  function put(element, text, which) {
    element.textContent = "";
    var shown = which === "both" && text.en !== text.zh ? ["zh", "en"] : [which === "en" ? "en" : "zh"];
    shown.forEach(function (code, i) {
      var span = document.createElement("span");
      span.lang = code === "zh" ? "zh-CN" : "en";
      // "t": the quiz's own text, which the language mode never hides.
      span.className = "t" + (code === "en" && i > 0 ? " en" : "");
      span.textContent = text[code];
      if (i > 0) element.appendChild(document.createElement("br"));
      element.appendChild(span);
    });
  }

  function both(zh, en) { return {zh: zh, en: en}; }

  function show(screen) {
    ["start-screen", "question-screen", "end-screen"].forEach(function (id) {
      $(id).hidden = id !== screen;
    });
  }

  function begin(questions) {
    if (!questions.length) return;
    $("app").className = "mode-" + lang;
    var random = generator(seed + attempt * 7919);
    attempt += 1;
    round = shuffled(questions, random).map(function (q) {
      var order = q.options.map(function (_, i) { return i; });
      return {q: q, order: q.ordered ? order : shuffled(order, random)};
    });
    position = 0; right = 0; missed = [];
    show("question-screen");
    ask();
  }

  function ask() {
    var item = round[position], q = item.q;
    answered = false;
    put($("progress"), both("第 " + (position + 1) + " / " + round.length + " 题",
                            "Question " + (position + 1) + " of " + round.length), lang);
    put($("stem"), q.stem, lang);
    var list = $("options");
    list.textContent = "";
    item.order.forEach(function (index, shown) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.option = String(index);
      var letter = document.createElement("span");
      letter.className = "letter";
      letter.textContent = String.fromCharCode(65 + shown);
      var body = document.createElement("span");
      body.className = "text";
      put(body, q.options[index], q.optionLang || lang);
      button.appendChild(letter);
      button.appendChild(body);
      button.addEventListener("click", function () { choose(shown); });
      li.appendChild(button);
      list.appendChild(li);
    });
    $("feedback").hidden = true;
    $("next").hidden = true;
    // The question, not option A, takes the focus: an Enter meant for "next" answers nothing.
    $("stem").focus();
    window.scrollTo(0, 0);
  }

  function mark(button, kind, text) {
    button.classList.add(kind);
    var span = document.createElement("span");
    span.className = "mark";
    put(span, text, lang);
    button.appendChild(span);
  }

  function choose(shown) {
    if (answered) return;
    var item = round[position], q = item.q;
    var buttons = $("options").querySelectorAll("button");
    if (shown >= buttons.length) return;
    answered = true;
    var chosen = item.order[shown], correct = chosen === q.answer;
    buttons.forEach(function (button) {
      button.disabled = true;
      button.setAttribute("aria-disabled", "true");
    });
    var rightShown = item.order.indexOf(q.answer);
    mark(buttons[rightShown], "right", correct ? both("✓ 正确", "✓ Right")
                                                : both("✓ 正确答案", "✓ The answer"));
    if (!correct) mark(buttons[shown], "wrong", both("✗ 你的选择", "✗ Your choice"));
    if (correct) right += 1; else missed.push(q);
    var verdict = $("verdict");
    verdict.className = correct ? "right" : "wrong";
    put(verdict, correct ? both("✓ 答对了", "✓ Right") : both("✗ 答错了", "✗ Wrong"), lang);
    put($("explanation"), q.explanation, lang);
    put($("section"), both("第 " + q.section.number + " 部分：" + q.section.title.zh,
                           "Section " + q.section.number + ": " + q.section.title.en), lang);
    $("feedback").hidden = false;
    var next = $("next");
    put(next, position + 1 < round.length ? both("下一题", "Next") : both("看得分", "See the score"), lang);
    next.hidden = false;
    // Keep the marked options in view on a phone; the focus goes to "next" without scrolling.
    buttons[rightShown].scrollIntoView({block: "nearest"});
    next.focus({preventScroll: true});
  }

  function advance() {
    if (!answered) return;
    position += 1;
    if (position < round.length) { ask(); return; }
    show("end-screen");
    put($("score"), both("得分：" + right + " / " + round.length,
                         "Score: " + right + " / " + round.length), lang);
    var review = $("review");
    review.hidden = missed.length === 0;
    window.scrollTo(0, 0);
    put(review, both("复习答错的 " + missed.length + " 题", "Review the " + missed.length + " missed"), lang);
    (missed.length ? review : $("again")).focus();
  }

  $("start").addEventListener("click", function () {
    var picked = document.querySelector("input[name=lang]:checked");
    if (picked) lang = picked.value;
    begin(data.questions);
  });
  $("next").addEventListener("click", advance);
  $("review").addEventListener("click", function () { begin(missed.slice()); });
  $("again").addEventListener("click", function () { begin(data.questions); });
  document.querySelectorAll("input[name=lang]").forEach(function (input) {
    input.checked = input.value === lang;
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (!$("question-screen").hidden) {
      var key = event.key.toLowerCase(), index = -1;
      if (/^[1-9]$/.test(key)) index = Number(key) - 1;
      else if (/^[a-f]$/.test(key)) index = key.charCodeAt(0) - 97;
      if (index >= 0 && !answered) { event.preventDefault(); choose(index); }
      else if (event.key === "Enter" && answered && document.activeElement !== $("next")) {
        event.preventDefault(); advance();
      }
    }
  });
  if (data.questions.length === 0) {
    $("start").disabled = true;
  }
  show("start-screen");
})();
