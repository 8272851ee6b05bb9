// On screens up to 1440 px the list filters form a bar of dropdowns above the list (see
// backoffice.css), so the list keeps the page's width and no column hides under a sidebar.
// They start closed, one opens at a time, and closing them here does not overwrite the open or
// closed state Django's filters.js remembers for wide screens.
"use strict";
{
    const narrow = window.matchMedia("(max-width: 1440px) and (min-width: 1025px)");
    window.addEventListener("load", () => {
        const bar = document.getElementById("changelist-filter");
        if (!bar || !narrow.matches) return;
        const details = Array.from(bar.querySelectorAll("details"));
        let quiet = true;
        document.addEventListener("toggle", (event) => {
            if (quiet && details.includes(event.target)) event.stopImmediatePropagation();
        }, true);
        details.forEach((detail) => { detail.open = false; });
        setTimeout(() => { quiet = false; }, 0);
        details.forEach((detail) => detail.addEventListener("toggle", () => {
            if (detail.open) details.forEach((other) => { if (other !== detail) other.open = false; });
        }));
        document.addEventListener("click", (event) => {
            if (!bar.contains(event.target)) details.forEach((detail) => { detail.open = false; });
        });
    });
}
