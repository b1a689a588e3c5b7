// 링크 복사: each `.copy-link` is a plain link to the page's address, which works without
// JavaScript; with it, a click copies the address and says so in the status beside the link.
// No framework and no request to another host.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll(".copy-link").forEach(function (a) {
    var status = a.parentNode.querySelector(".copy-status");
    a.addEventListener("click", function (e) {
      e.preventDefault();
      navigator.clipboard.writeText(a.getAttribute("data-copy")).then(function () {
        if (status) status.textContent = " 복사했습니다";
      }, function () {
        if (status) status.textContent = " 복사하지 못했습니다: 주소창의 주소를 쓰세요";
      });
    });
  });
})();
