/* Student survey: a soft "one answer per device" notice, kept on this device only.

   After answers are sent, the thank-you page records in this browser's localStorage that this
   survey (its join code; nothing about the student, no time) was answered on this device. When the
   survey is opened again on the same device, its page shows a notice before the questions. It is
   a notice, never a block: a classmate sharing the device goes on and answers. Nothing is sent
   anywhere and no cookie is set; without JavaScript or storage the survey works the same. */
(function () {
  "use strict";
  var KEY = "pdc-answered-surveys";
  var KEEP = 50; // the most recent surveys this device answered; older ones are forgotten
  var CODE = /^[A-Z2-9]{6}$/;

  function storage() {
    try { return window.localStorage; } catch (e) { return null; } // blocked in some private modes
  }

  function answered(store) {
    try {
      var list = JSON.parse(store.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (c) { return typeof c === "string" && CODE.test(c); }) : [];
    } catch (e) {
      return [];
    }
  }

  var store = storage();
  if (!store) return;

  var thanks = document.querySelector("[data-answered-survey]");
  if (thanks) {
    var code = thanks.getAttribute("data-answered-survey");
    if (CODE.test(code)) {
      var list = answered(store).filter(function (c) { return c !== code; });
      list.push(code);
      try { store.setItem(KEY, JSON.stringify(list.slice(-KEEP))); } catch (e) { /* full or blocked: no notice */ }
    }
  }

  var notice = document.querySelector("[data-answered-notice]");
  if (notice && answered(store).indexOf(notice.getAttribute("data-answered-notice")) !== -1) {
    notice.hidden = false;
  }
})();
